import XCTest
import ConvNet
@testable import DigitData

/// The saliency picture: red where the evidence is for the answer, blue where
/// it is for the runner-up, the plain grey input elsewhere.
final class EvidenceFigureTests: XCTestCase {
    func testColoursFollowTheSignOverTheGreyInput() {
        var values = [Float](repeating: 0, count: 28 * 28), input = [Float](repeating: 0, count: 28 * 28)
        values[5 * 28 + 5] = 2; values[20 * 28 + 20] = -1; input[10 * 28 + 10] = 1
        let r = Figures.evidence(Evidence(top: 7, runnerUp: 9, values: values, width: 28, height: 28), input: input, title: "why 7")
        XCTAssertEqual(r.width, 300)
        func px(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            let i = ((30 + y * 10 + 5) * r.width + 10 + x * 10 + 5) * 3
            return (Int(r.pixels[i]), Int(r.pixels[i + 1]), Int(r.pixels[i + 2]))
        }
        let red = px(5, 5), blue = px(20, 20), grey = px(10, 10), black = px(0, 0)
        XCTAssertGreaterThan(red.0, red.2 + 100, "\(red)")
        XCTAssertGreaterThan(blue.2, blue.0 + 100, "\(blue)")
        XCTAssertEqual(grey.0, grey.1); XCTAssertEqual(grey.1, grey.2); XCTAssertGreaterThan(grey.0, 100)
        XCTAssertEqual(black.0, 0)
    }
}
