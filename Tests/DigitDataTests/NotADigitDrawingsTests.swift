import XCTest
import ConvNet
@testable import DigitData

final class NotADigitDrawingsTests: XCTestCase {
    /// Every kind is drawn with ink the app would read, the same for the same seed.
    func testEveryKindDrawsRepeatably() {
        for kind in NotADigitDrawings.Kind.allCases {
            for seed: UInt64 in 1...5 {
                var a = RNG(seed: seed), b = RNG(seed: seed)
                let x = NotADigitDrawings.canvas(kind, rng: &a), y = NotADigitDrawings.canvas(kind, rng: &b)
                XCTAssertEqual(x.pixels, y.pixels, "\(kind)")
                XCTAssertNotNil(DrawingInput.prepare(x), "\(kind), seed \(seed): no ink")
                XCTAssertTrue(Canvas.brushRange.contains(x.brushRadius))
            }
        }
    }

    func testPartialKeepsTheStartOfThePath() {
        let p = { (x: Float, y: Float) in PenSample.Point(x, y) }
        let strokes = [[p(0, 0), p(10, 0)], [p(0, 5), p(0, 15)]]
        XCTAssertEqual(NotADigitDrawings.partial(strokes, share: 0.25), [[p(0, 0), p(5, 0)]])
        XCTAssertEqual(NotADigitDrawings.partial(strokes, share: 0.75), [[p(0, 0), p(10, 0)], [p(0, 5), p(0, 10)]])
        XCTAssertEqual(NotADigitDrawings.partial(strokes, share: 1), strokes)
    }
}
