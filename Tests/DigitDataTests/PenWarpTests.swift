import XCTest
import ConvNet
@testable import DigitData

final class PenWarpTests: XCTestCase {
    let p = { (x: Float, y: Float) in PenSample.Point(x, y) }

    /// A 4 as many write it: a down-and-across stroke, then the upright.
    var four: [[PenSample.Point]] {
        [[p(10, 0), p(0, 60), p(40, 60)], [p(30, 20), p(30, 100)]]
    }

    func testMovesEveryPointByAtMostItsShareAndRepeats() {
        let amount: Float = 0.1, size: Float = 100   // the 4's longer side
        for seed: UInt64 in 1...50 {
            var a = RNG(seed: seed), b = RNG(seed: seed)
            let x = PenWarp(amount: amount).apply(four, rng: &a), y = PenWarp(amount: amount).apply(four, rng: &b)
            XCTAssertEqual(x, y, "seed \(seed)")
            XCTAssertEqual(x.map(\.count), four.map(\.count), "a warp keeps every point, in order")
            for (s, stroke) in x.enumerated() {
                // The field moves a point by at most `amount` of the size per axis; a
                // later stroke also moves by up to half of it.
                let most = size * amount * (s == 0 ? 1 : 1.5) + 1e-3
                for (q, o) in zip(stroke, four[s]) {
                    XCTAssertLessThanOrEqual(abs(q.x - o.x), most, "seed \(seed)")
                    XCTAssertLessThanOrEqual(abs(q.y - o.y), most, "seed \(seed)")
                }
            }
        }
    }

    /// The field bends, it does not scatter: points close together move alike,
    /// so a stroke stays a smooth stroke.
    func testNearbyPointsMoveAlike() {
        let line = [(0...100).map { p(Float($0), 50) }]
        var rng = RNG(seed: 3)
        for _ in 0..<20 {
            let bent = PenWarp(amount: 0.2).apply(line, rng: &rng)[0]
            for i in 1..<bent.count {
                let moved = (bent[i].x - line[0][i].x, bent[i].y - line[0][i].y)
                let before = (bent[i - 1].x - line[0][i - 1].x, bent[i - 1].y - line[0][i - 1].y)
                // Waves of at most 1.5 periods across 100 units, amplitude ≤ 10: the
                // displacement changes by at most 2π·1.5·10/100·1 ≈ 0.95 per unit step.
                XCTAssertLessThan(abs(moved.0 - before.0) + abs(moved.1 - before.1), 2)
            }
        }
    }

    func testNothingToBendIsLeftAlone() {
        var rng = RNG(seed: 1)
        XCTAssertEqual(PenWarp(amount: 0.1).apply([], rng: &rng), [])
        XCTAssertEqual(PenWarp(amount: 0.1).apply([[]], rng: &rng), [[]])
    }

    /// Bent, a digit is still that digit: the shipped model reads training writers'
    /// digits bent by the amount the shipped recipe uses about as well as unbent
    /// (a warp that broke digits would teach the model noise).
    func testBentPenDigitsStillReadAsTheirDigit() throws {
        guard let dir = ProcessInfo.processInfo.environment["DIGITS_DATA"], !dir.isEmpty else {
            throw XCTSkip("DIGITS_DATA is not set")
        }
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/digitnet.safetensors").path
        let (net, file) = try WeightsFile.load(weights)
        let none = try XCTUnwrap(try WeightsMetadata(file, path: weights).notADigitClass)
        let pen = try DataLocator.directory(for: .unipen, option: dir)
        let samples = try PenStrokes.read("\(pen)/\(PenStrokes.digitsFile)", labels: .digits, limit: 3000)
            .filter { !WriterSplit.isHeldOut(site: $0.site, writer: $0.writer) }
            .enumerated().filter { $0.offset % 6 == 0 }.map(\.element)
        var rng = RNG(seed: 11)
        var plain: [Float] = [], bent: [Float] = [], labels: [Int] = []
        for s in samples {
            guard let a = s.input(), let b = PenSample(label: "", site: "", writer: "", strokes: PenWarp(amount: 0.1).apply(s.strokes, rng: &rng)).input()
            else { continue }
            plain += a; bent += b; labels.append(s.digit!)
        }
        func right(_ images: [Float]) -> Double {
            let k = net.classes, scores = net.predict(images, count: labels.count)
            let hits = labels.indices.filter { Answer.digit(Array(scores[($0 * k)..<(($0 + 1) * k)]), notADigitClass: none) == labels[$0] }
            return Double(hits.count) / Double(labels.count)
        }
        XCTAssertGreaterThan(labels.count, 300)
        let (r0, r1) = (right(plain), right(bent))
        print("training writers' pen digits read right: \(Format.percent(r0)) as written, \(Format.percent(r1)) bent by 0.1")
        XCTAssertGreaterThan(r1, r0 - 0.03, "bent by 0.1, digits should stay readable")
    }
}
