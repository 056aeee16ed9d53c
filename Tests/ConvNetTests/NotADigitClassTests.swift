import XCTest
@testable import ConvNet

/// A weights file's "not a digit" output is checked where the network is built from
/// it: the last output, after at least one digit; any other file is refused.
final class NotADigitClassTests: XCTestCase {
    func file(outputs: Int, notADigitClass: String?) throws -> Safetensors {
        let net = try Network(spec: "in4x4x1-flatten-dense\(outputs)")
        return WeightsFile.encode(net, metadata: notADigitClass.map { [("not_a_digit_class", $0)] } ?? [])
    }

    func testTheLastOutputIsAccepted() throws {
        XCTAssertEqual(try WeightsFile.network(from: try file(outputs: 11, notADigitClass: "10")).classes, 11)
        XCTAssertEqual(try WeightsMetadata.checkNotADigitClass(try file(outputs: 11, notADigitClass: "10").meta, classes: 11), 10)
        XCTAssertNil(try WeightsMetadata.checkNotADigitClass(try file(outputs: 10, notADigitClass: nil).meta, classes: 10))
        XCTAssertEqual(try WeightsFile.network(from: try file(outputs: 2, notADigitClass: "1")).classes, 2)
    }

    func testAnyOtherIsRefused() throws {
        let cases: [(Int, String, String)] = [
            (11, "3", "names output 3 \"not a digit\"; it must be the model's last output, 10"),
            (10, "10", "names output 10 \"not a digit\"; it must be the model's last output, 9"),
            (1, "0", "the model has 1 output: none is left for the digits"),
            (11, "-1", "not_a_digit_class is not a class index (it is -1)"),
            (11, "10.0", "not_a_digit_class is not a class index (it is 10.0)"),
        ]
        for (outputs, value, expected) in cases {
            XCTAssertThrowsError(try WeightsFile.network(from: try file(outputs: outputs, notADigitClass: value)), "\(outputs) \(value)") {
                XCTAssertTrue("\($0)".contains(expected), "\($0)")
            }
        }
    }
}
