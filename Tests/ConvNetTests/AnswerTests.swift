import XCTest
@testable import ConvNet

/// The one rule for accuracy with a "not a digit" output: the best digit output.
final class AnswerTests: XCTestCase {
    func testBestDigitLeavesOutTheNotADigitOutput() {
        let scores: [Float] = [0.1, 0.2, 0.05, 0, 0, 0, 0, 0, 0, 0.15, 0.5]
        XCTAssertEqual(Answer.digit(scores, notADigitClass: nil), 10)
        XCTAssertEqual(Answer.digit(scores, notADigitClass: 10), 1)
        XCTAssertEqual(Answer.digit([0.9, 0.05, 0.05], notADigitClass: 0), 1)
        XCTAssertEqual(Answer.digit([0.3, 0.3, 0.4], notADigitClass: 2), 0, "the first of equal scores wins")
    }

    /// Evaluation scores an 11-output model on digit labels by its best digit output.
    func testEvaluationCountsTheBestDigit() throws {
        // Dense weights chosen by hand: output 10 always wins overall, output = label among digits.
        let net = try Network(spec: "in1x1x2-flatten-dense11")
        let dense = net.layers.compactMap { $0 as? Dense }[0]
        dense.weight.value.zero(); dense.bias.value.zero()
        let w = dense.weight.value.pointer, b = dense.bias.value.pointer
        w[3 * 2 + 0] = 1; w[7 * 2 + 1] = 1; b[10] = 5
        let data = LabeledImages(shape: Shape(1, 1, 2), images: [1, 0, 0, 1, 1, 0], labels: [3, 7, 7])
        XCTAssertEqual(Evaluation(network: net, data: data).accuracy, 0)
        let e = Evaluation(network: net, data: data, notADigitClass: 10)
        XCTAssertEqual(e.predictions, [3, 7, 3])
        XCTAssertEqual(e.accuracy, 2.0 / 3.0, accuracy: 1e-12)
    }
}
