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
        // Scored per class over the digits only: no empty "not a digit" class in the averages.
        XCTAssertEqual((seven["per_class"] as? [Any])?.count, 10, "\(seven)")
        XCTAssertEqual((seven["macro_avg"] as? [String: Any])?["recall"] as? Double, 0.1, "\(seven)")
        XCTAssertEqual(seven["accuracy"] as? Double, 0.1)

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

/// `digits eval --dataset letters`: the share of pen-written letters of held-out
/// writers, digit-like ones left out, that a verdict model does not take for digits.
final class LettersEvalTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        dir = try temporaryDirectory()
        // Two held-out writers and one training writer (WriterSplit decides which is which).
        let names = (0..<400).map { "w\($0)" }
        let heldOut = names.filter { WriterSplit.isHeldOut(site: "s", writer: $0) }.prefix(2)
        let training = try XCTUnwrap(names.first { !WriterSplit.isHeldOut(site: "s", writer: $0) })
        func line(_ label: String, _ writer: String) -> String {
            #"{"label":"\#(label)","site":"s","writer":"\#(writer)","strokes":[[[0,0],[10,40],[20,0]],[[5,20],[15,20]]]}"#
        }
        var lines: [String] = []
        for w in heldOut { lines += [line("A", w), line("x", w), line("O", w), line("q", w)] }
        lines += [line("A", training), line("K", training)]
        try FileManager.default.createDirectory(atPath: dir + "/unipen", withIntermediateDirectories: true)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/unipen/letters.jsonl"))
        // The reader takes raw or gzip: the file name is the shipped one.
        try FileManager.default.moveItem(atPath: dir + "/unipen/letters.jsonl", toPath: dir + "/unipen/\(PenStrokes.lettersFile)")
    }

    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    func letters(_ logits: [Float], notADigitClass: String? = "10") throws -> Run {
        let w = dir + "/model.safetensors"
        try VerdictWeights.constant(logits, to: w, notADigitClass: notADigitClass)
        return try Binary.run(["eval", "--dataset", "letters", "--data", dir, "--json", "--weights", w])
    }

    func testTheShareNotTakenForADigitPerLetterOnHeldOutWritersWithoutTheDigitLikeLetters() throws {
        let rejecting = try letters(VerdictWeights.notADigitLogits)
        XCTAssertEqual(rejecting.status, 0, rejecting.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rejecting.stdout.utf8)) as? [String: Any], rejecting.stdout)
        XCTAssertEqual(o["count"] as? Int, 4, "A and x of the two held-out writers; O and q left out, the training writer not scored")
        XCTAssertEqual(o["writers"] as? Int, 2)
        XCTAssertEqual(o["not_digit"] as? Double, 1)
        let perLetter = try XCTUnwrap(o["per_letter"] as? [[String: Any]])
        XCTAssertEqual(perLetter.map { $0["letter"] as? String }, ["A", "x"])
        XCTAssertEqual(perLetter.map { $0["count"] as? Int }, [2, 2])

        let accepting = try letters(VerdictWeights.sevenLogits)
        let a = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(accepting.stdout.utf8)) as? [String: Any], accepting.stdout)
        XCTAssertEqual(a["not_digit"] as? Double, 0)
        let unsure = try letters(VerdictWeights.fiveOrNineLogits)
        let u = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(unsure.stdout.utf8)) as? [String: Any], unsure.stdout)
        XCTAssertEqual(u["not_digit"] as? Double, 1, "unsure is not taken for a digit either")

        let text = try Binary.run(["eval", "--dataset", "letters", "--data", dir, "--weights", dir + "/model.safetensors"])
        XCTAssertTrue(text.stdout.contains("on 4 pen-written letters of 2 held-out writers"), text.stdout)
        XCTAssertTrue(text.stdout.contains("digit-like letters left out: B G I O S Z b g l o q s z"), text.stdout)
        XCTAssertTrue(text.stdout.contains("not taken for a digit: 100.00 %"), text.stdout)
    }

    func testLettersNeedAVerdictModelAndAreNoTrainingData() throws {
        let plain = try letters(VerdictWeights.logits([3: 6], count: 10), notADigitClass: nil)
        XCTAssertEqual(plain.status, 2, plain.stderr)
        XCTAssertEqual(plain.stderr.split(separator: "\n").count, 1, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("no verdict: this model has no not-a-digit class"), plain.stderr)
        let train = try Binary.run(["train", "--dataset", "letters", "--data", dir, "--out", dir + "/out.safetensors"])
        XCTAssertEqual(train.status, 2, train.stderr)
        XCTAssertEqual(train.stderr.split(separator: "\n").count, 1, train.stderr)
        XCTAssertTrue(train.stderr.contains("--dataset letters holds no digits"), train.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.safetensors"))
    }
}
