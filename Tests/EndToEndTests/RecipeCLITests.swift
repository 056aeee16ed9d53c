import Foundation
import XCTest

/// The training recipe's options on the release binary: their ranges, the
/// "not a digit" label only for a model with an 11th output, and a mixed run
/// (pen digits, negatives, every augmentation) repeated bit for bit.
final class RecipeCLITests: TinyMNISTTestCase {
    func train(_ extra: [String]) throws -> Run {
        try Binary.run(["train", "--data", data, "--epochs", "1", "--out", dir + "/r.safetensors"] + extra, env: ["DIGITS_DATA": ""])
    }

    func assertOneLine(_ r: Run, status: Int32, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("digits: \(expected)"), r.stderr, file: file, line: line)
    }

    func testRecipeOptionsAreRangeChecked() throws {
        let cases: [([String], String)] = [
            (["--label-smoothing", "0.7"], "--label-smoothing must be a number in [0, 0.5]"),
            (["--averaging", "1"], "--averaging must be a number in [0, 1)"),
            (["--elastic", "nan"], "--elastic must be a number in [0, 4]"),
            (["--stretch", "-0.1"], "--stretch must be a number in [0, 1]"),
            (["--thickness", "2"], "--thickness must be a number in [0, 1]"),
            (["--pen-digits", "21"], "--pen-digits must be a whole number from 0 to 20"),
            (["--negatives", "-1"], "--negatives must be a whole number from 0 to 1000000"),
            (["--pen-warp", "0.3"], "--pen-warp must be a number in [0, 0.2]"),
        ]
        for (args, expected) in cases { assertOneLine(try train(["--model", "seed003"] + args), status: 2, expected) }
        assertOneLine(try train(["--model", "digitnet", "--pen-warp", "0.1"]), status: 2,
                      "--pen-warp bends the drawn pen examples: add --pen-digits N or --negatives N")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r.safetensors"))
    }

    /// Label 10 means "not a digit" only as a model's 11th output: a 10-output model is refused.
    func testNegativesNeedAnEleventhOutput() throws {
        let r = try train(["--model", "seed003", "--negatives", "10"])
        assertOneLine(r, status: 1, "--negatives needs a model whose 11th output (the last) means \"not a digit\", e.g. one whose spec ends dense11-softmax; seed003 has 10 outputs")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r.safetensors"))
    }

    /// The whole recipe on a little data, twice with the same seed: the same
    /// weights, byte for byte; the file records every setting and the "not a
    /// digit" output. Needs the real pen strokes ($DIGITS_DATA).
    func testMixedRunIsRepeatable() throws {
        guard let real = Binary.dataDirectory else { throw XCTSkip("DIGITS_DATA is not set: no pen strokes to mix in") }
        var files: [Data] = []
        for name in ["a", "b"] {
            let out = dir + "/\(name).safetensors"
            let r = try Binary.run(["train", "--data", real, "--model", "digitnet", "--limit", "300", "--epochs", "1", "--batch-size", "64",
                                    "--lr", "0.003", "--schedule", "onecycle", "--label-smoothing", "0.05", "--averaging", "0.99",
                                    "--augment", "--elastic", "1.5", "--stretch", "0.2", "--thickness", "0.2",
                                    "--pen-digits", "1", "--negatives", "500", "--pen-warp", "0.1", "--seed", "3", "--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            files.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        XCTAssertEqual(files[0], files[1], "same seed, same weights")
        let summary = try Binary.run(["summary", "--weights", dir + "/a.safetensors", "--json"])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        let header = String(decoding: files[0].prefix(4096), as: UTF8.self)
        for field in [#"\"pen_digits\":1"#, #"\"negatives\":500"#, #"\"pen_warp\":0.1"#, #"\"schedule\":\"onecycle\""#, #"\"averaging\":0.99"#, "not_a_digit_class"] {
            XCTAssertTrue(header.contains(field), "\(field) in \(header.prefix(1500))")
        }
    }
}
