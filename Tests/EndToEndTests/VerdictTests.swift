import Foundation
import XCTest
import ConvNet
import DigitData

/// The verdict ("digit", "unsure", "not a digit") in `digits predict` and `digits
/// eval`, with models whose readings are known (VerdictWeights), and the refusal of
/// a file whose "not a digit" output is not the model's last.
final class VerdictTests: XCTestCase {
    var dir: String!
    var picture: String { dir + "/stroke.pgm" }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        dir = try temporaryDirectory()
        // A white bar on black: anything with ink will do, the models ignore it.
        var px = [UInt8](repeating: 0, count: 28 * 28)
        for y in 6..<22 { for x in 13..<16 { px[y * 28 + x] = 255 } }
        try (Data("P5\n28 28\n255\n".utf8) + Data(px)).write(to: URL(fileURLWithPath: picture))
    }

    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    func weights(_ name: String, _ logits: [Float], notADigitClass: String? = "10") throws -> String {
        let path = "\(dir!)/\(name).safetensors"
        try VerdictWeights.constant(logits, to: path, notADigitClass: notADigitClass)
        return path
    }

    func predictJSON(_ weights: String) throws -> [String: Any] {
        let r = try Binary.run(["predict", "--json", "--weights", weights, picture])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    func testPredictSaysEachVerdictAndKeepsTheDigitsOnly() throws {
        let cases: [(String, [Float], String, Int, String)] = [
            ("seven", VerdictWeights.sevenLogits, "digit", 7, ": 7  99."),
            ("unsure", VerdictWeights.fiveOrNineLogits, "unsure", 5, ": 5 or 9?  "),
            ("letter", VerdictWeights.notADigitLogits, "not a digit", 0, ": not a digit  99."),
        ]
        for (name, logits, verdict, digit, text) in cases {
            let w = try weights(name, logits)
            let o = try predictJSON(w)
            XCTAssertEqual(o["verdict"] as? String, verdict, name)
            XCTAssertEqual(o["digit"] as? Int, digit, name)
            // The top 3 and the confidence are over the digits only: never output 10.
            let top3 = try XCTUnwrap(o["top3"] as? [[String: Any]])
            XCTAssertEqual(top3.count, 3)
            XCTAssertTrue(top3.allSatisfy { ($0["digit"] as! Int) < 10 }, "\(name): \(top3)")
            XCTAssertEqual(top3[0]["digit"] as? Int, digit, name)
            let r = try Binary.run(["predict", "--weights", w, picture])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains(text), "\(name): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains("verdict: \(verdict)"), "\(name): \(r.stdout)")
        }
    }

    func testAModelWithoutTheClassHasNoVerdictAndSaysSo() throws {
        let w = try weights("plain", VerdictWeights.logits([3: 6], count: 10), notADigitClass: nil)
        let o = try predictJSON(w)
        XCTAssertTrue(o.keys.contains("verdict") && o["verdict"] is NSNull, "\(o)")
        XCTAssertEqual(o["digit"] as? Int, 3)
        let r = try Binary.run(["predict", "--weights", w, picture])
        XCTAssertTrue(r.stdout.contains(": 3  ") && r.stdout.contains("no verdict: this model has no not-a-digit class"), r.stdout)
    }

    /// The "not a digit" output must be the last, after at least one digit: any
    /// other is refused where the weights are loaded, in one line, exit 1.
    func testANotADigitClassThatIsNotTheLastOutputIsRefused() throws {
        let cases: [(String, [Float], String, String)] = [
            ("middle", VerdictWeights.sevenLogits, "3", "names output 3 \"not a digit\"; it must be the model's last output, 10"),
            ("beyond", VerdictWeights.logits([:], count: 10), "10", "names output 10 \"not a digit\"; it must be the model's last output, 9"),
            ("alone", [0], "0", "but the model has 1 output: none is left for the digits"),
            ("text", VerdictWeights.sevenLogits, "ten", "not_a_digit_class is not a class index (it is ten)"),
        ]
        let data = dir + "/mnist"
        try TinyMNIST.write(to: data)
        for (name, logits, value, expected) in cases {
            let w = try weights(name, logits, notADigitClass: value)
            for args in [["predict", "--weights", w, picture], ["eval", "--weights", w, "--data", data],
                         ["summary", "--weights", w], ["maps", "--weights", w, "--out", dir!, picture], ["draw", "--weights", w]] {
                let r = try Binary.run(args, timeout: 60)
                XCTAssertEqual(r.status, 1, "\(name) \(args[0]): \(r.stderr)")
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(name) \(args[0]): \(r.stderr)")
                XCTAssertTrue(r.stderr.hasPrefix("digits: \(w): ") && r.stderr.contains(expected), "\(name) \(args[0]): \(r.stderr)")
            }
        }
    }

    func testEvalReportsTheShareOfEachVerdictAndTheAccuracyAmongAccepted() throws {
        let data = dir + "/mnist"
        try TinyMNIST.write(to: data, test: 20)   // labels 0…9 twice
        func eval(_ w: String) throws -> [String: Any] {
            let r = try Binary.run(["eval", "--json", "--weights", w, "--data", data])
            XCTAssertEqual(r.status, 0, r.stderr)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        }
        let seven = try eval(try weights("seven", VerdictWeights.sevenLogits))
        let v7 = try XCTUnwrap(seven["verdict"] as? [String: Any], "\(seven)")
        XCTAssertEqual(v7["digit"] as? Double, 1)
        XCTAssertEqual(v7["not_a_digit"] as? Double, 0)
        // Every image accepted as 7: right for the two 7s of 20.
        XCTAssertEqual(v7["accepted_accuracy"] as? Double, 0.1)
        XCTAssertEqual((v7["counts"] as? [String: Any])?["digit"] as? Int, 20)

        let letter = try eval(try weights("letter", VerdictWeights.notADigitLogits))
        let vl = try XCTUnwrap(letter["verdict"] as? [String: Any])
        XCTAssertEqual(vl["not_a_digit"] as? Double, 1)
        XCTAssertTrue(vl["accepted_accuracy"] is NSNull, "\(vl)")
        let unsure = try eval(try weights("unsure", VerdictWeights.fiveOrNineLogits))
        XCTAssertEqual((unsure["verdict"] as? [String: Any])?["unsure"] as? Double, 1)

        let text = try Binary.run(["eval", "--weights", "\(dir!)/seven.safetensors", "--data", data])
        XCTAssertTrue(text.stdout.contains("verdict: digit 100.00 % (20)   unsure 0.00 % (0)   not a digit 0.00 % (0)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("accuracy among accepted (digit): 10.00 % of 20"), text.stdout)

        let plain = try weights("plain", VerdictWeights.logits([3: 6], count: 10), notADigitClass: nil)
        XCTAssertTrue(try eval(plain)["verdict"] is NSNull)
        XCTAssertTrue(try Binary.run(["eval", "--weights", plain, "--data", data]).stdout.contains("no verdict: this model has no not-a-digit class"))
    }
}
