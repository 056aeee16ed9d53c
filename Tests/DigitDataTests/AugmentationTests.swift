import XCTest
import ConvNet
@testable import DigitData

/// The augmentations: repeatable from a seed, shape-preserving, and each doing
/// what it says on a picture whose answer is known.
final class AugmentationTests: XCTestCase {
    let shape = Shape(28, 28, 1)

    /// A slanted bar of ink, as a thin 1.
    func bar() -> [Float] {
        var p = [Float](repeating: 0, count: 784)
        for y in 4..<24 { let x = 13 + (y - 4) / 8; p[y * 28 + x] = 1; p[y * 28 + x + 1] = 0.6 }
        return p
    }

    func apply(_ a: Augmentation, seed: UInt64, to image: [Float]) -> [Float] {
        var out = image, rng = RNG(seed: seed)
        out.withUnsafeMutableBufferPointer { a.apply($0.baseAddress!, shape: shape, rng: &rng) }
        return out
    }

    func inkBox(_ p: [Float]) -> (width: Int, height: Int) {
        var x0 = 28, x1 = -1, y0 = 28, y1 = -1
        for y in 0..<28 { for x in 0..<28 where p[y * 28 + x] > 0.1 { x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y) } }
        return (x1 - x0 + 1, y1 - y0 + 1)
    }

    func testEveryAugmentationIsRepeatableAndKeepsTheShape() {
        var settings = TrainingSettings()
        settings.augment = true; settings.elastic = 2; settings.stretch = 0.5; settings.thickness = 0.5
        let a = Augmentation(settings)!
        for seed: UInt64 in [1, 2, 3, 99] {
            let x = apply(a, seed: seed, to: bar()), y = apply(a, seed: seed, to: bar())
            XCTAssertEqual(x, y, "seed \(seed)")
            XCTAssertEqual(x.count, 784)
            XCTAssertTrue(x.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1.0001 }, "seed \(seed)")
            XCTAssertGreaterThan(x.reduce(0, +), 5, "the ink survives")
        }
        XCTAssertNotEqual(apply(a, seed: 1, to: bar()), apply(a, seed: 2, to: bar()))
        XCTAssertNil(Augmentation(TrainingSettings()), "nothing asked, nothing done")
    }

    /// The affine draws come in the same order as before the recipe: a run with
    /// only --augment repeats the runs made before it.
    func testAffineAloneIsUnchanged() {
        var s = TrainingSettings(); s.augment = true
        XCTAssertEqual(apply(Augmentation(s)!, seed: 5, to: bar()), apply(Augmentation(), seed: 5, to: bar()))
    }

    func testStretchFillsTheBox() {
        var s = TrainingSettings(); s.stretch = 1
        for seed: UInt64 in 1...6 {   // coarse (binarised at 16×16) or not
            let box = inkBox(apply(Augmentation(s)!, seed: seed, to: bar()))
            XCTAssertGreaterThanOrEqual(box.width, 19, "seed \(seed)")
            XCTAssertGreaterThanOrEqual(box.height, 19, "seed \(seed)")
        }
    }

    func testThicknessThickensOrThins() {
        var image = bar()
        image.withUnsafeMutableBufferPointer { StrokeWidth.apply($0.baseAddress!, shape: shape, thicker: true, amount: 1) }
        XCTAssertEqual(image[10 * 28 + 12], 1, "the left neighbour takes the stroke's ink")
        XCTAssertGreaterThan(image.reduce(0, +), bar().reduce(0, +) * 2)
        var thin = bar()
        thin.withUnsafeMutableBufferPointer { StrokeWidth.apply($0.baseAddress!, shape: shape, thicker: false, amount: 0.5) }
        XCTAssertLessThan(thin.reduce(0, +), bar().reduce(0, +))
    }

    func testElasticFieldIsSmoothAndOfTheAskedSize() {
        var rng = RNG(seed: 4)
        var squares: Float = 0, n = 0, jump: Float = 0
        for _ in 0..<50 {
            let f = ElasticField(width: 28, height: 28, amplitude: 2, spacing: 5, rng: &rng)
            XCTAssertEqual(f.dx.count, 784)
            for v in f.dx + f.dy { squares += v * v; n += 1 }
            for y in 0..<28 { for x in 0..<27 { jump = max(jump, abs(f.dx[y * 28 + x + 1] - f.dx[y * 28 + x])) } }
        }
        let rms = (squares / Float(n)).squareRoot()
        XCTAssertGreaterThan(rms, 1.2)
        XCTAssertLessThan(rms, 2.2)
        XCTAssertLessThan(jump, 4, "neighbours move together")
    }
}

extension AugmentationTests {
    /// A blank picture (a drawing that left no ink) goes through every augmentation unchanged.
    func testBlankStaysBlank() {
        var s = TrainingSettings(); s.augment = true; s.elastic = 2; s.stretch = 1; s.thickness = 1
        for seed: UInt64 in 1...8 {
            XCTAssertEqual(apply(Augmentation(s)!, seed: seed, to: [Float](repeating: 0, count: 784)), [Float](repeating: 0, count: 784))
        }
    }
}
