import XCTest
import ConvNet
@testable import DigitData

/// Label 10 ("not a digit") only goes to a model with an 11th output.
final class TrainingMixTests: XCTestCase {
    func testNegativesNeedAnEleventhOutput() throws {
        var s = TrainingSettings()
        let ten = try Network(spec: "in28x28x1-flatten-dense10"), eleven = try Network(spec: "in28x28x1-flatten-dense11")
        XCTAssertNil(try TrainingMix.notADigitClass(s, network: ten), "no negatives, no such class")
        XCTAssertEqual(try TrainingMix.notADigitClass(s, network: eleven), 10,
                       "an 11th output is declared even untaught, so it is never read as a digit 10")
        s.negatives = 100
        XCTAssertEqual(try TrainingMix.notADigitClass(s, network: eleven), 10)
        XCTAssertThrowsError(try TrainingMix.notADigitClass(s, network: ten)) {
            XCTAssertEqual("\($0)", "--negatives needs a model whose 11th output (the last) means \"not a digit\", e.g. one whose spec ends dense11-softmax; this model has 10 outputs")
        }
    }

    func testMixedDrawingsNeedTheCanvasShape() throws {
        var s = TrainingSettings(); s.penDigits = 1
        let small = try Network(spec: "in8x8x1-flatten-dense10")
        XCTAssertThrowsError(try TrainingMix.source(s, network: small, dataOption: nil)) {
            XCTAssertEqual("\($0)", "--pen-digits and --negatives draw 28×28 pictures as the app does; this model reads 8×8×1")
        }
        XCTAssertNil(try TrainingMix.source(TrainingSettings(), network: small, dataOption: nil))
    }
}
