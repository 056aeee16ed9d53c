import XCTest
@testable import ConvNet
@testable import DigitData

/// The teaching measurement's choice of writers and of samples.
final class WriterTrialTests: XCTestCase {
    /// A pen sample of digit `d`: a vertical stroke for 1, else a box with a tail
    /// whose place depends on d (so every sample leaves ink).
    func pen(_ d: Int, writer: String, site: String = "syn") -> PenSample {
        let x = Float(d * 3)
        let strokes: [[PenSample.Point]] = d == 1 ? [[.init(10, 0), .init(10, 40)]]
            : [[.init(0, 0), .init(30, 0), .init(30, 40), .init(0, 40), .init(0, 0)], [.init(x, 10), .init(x + 5, 30)]]
        return PenSample(label: String(d), site: site, writer: writer, strokes: strokes)
    }

    func testWritersNeedMoreThanPerDigitOfEveryDigitAndTheSplitIsDisjoint() throws {
        var samples: [PenSample] = []
        for d in 0..<10 { for _ in 0..<4 { samples.append(pen(d, writer: "many")) } }   // 4 of each
        for d in 0..<10 { for _ in 0..<2 { samples.append(pen(d, writer: "few")) } }    // 2 of each
        for d in 0..<9 { for _ in 0..<6 { samples.append(pen(d, writer: "no-nine")) } } // no 9
        let net = try Network(spec: "in28x28x1-conv4k3-relu-pool2-flatten-dense10")
        var rng = RNG(seed: 1)
        net.initialize(rng: &rng)
        let trials = WriterTrial.worstWriters(samples, network: net, count: 5, perDigit: 3, heldOutOnly: false)
        XCTAssertEqual(trials.map(\.writer), ["many"])
        let t = trials[0]
        XCTAssertEqual(t.taught.count, 30)
        XCTAssertEqual(t.others.count, 10)
        let threeOfEach: [Int32] = (0..<10).flatMap { d -> [Int32] in [Int32](repeating: Int32(d), count: 3) }
        XCTAssertEqual(t.taught.labels.sorted(), threeOfEach)
        XCTAssertEqual(t.others.labels.sorted(), (0..<10).map(Int32.init))
        // Held-out only: "many" is not a held-out writer name here unless the split says so.
        XCTAssertEqual(WriterTrial.worstWriters(samples, network: net, count: 5, perDigit: 3).map(\.writer),
                       WriterSplit.isHeldOut(site: "syn", writer: "many") ? ["many"] : [])
    }
}
