import Foundation
import XCTest

/// `--dataset unipen` on the release binary: pen strokes read strictly (a bad
/// line refuses the file in one line naming it and the line), scored per site
/// and per writer on writers the model never saw.
final class PenDataTests: XCTestCase {
    /// A writer `WriterSplit` holds out (ced/GYEN4328 of the shared data set).
    static func line(_ label: String = "\"7\"", strokes: String = "[[[0,0],[10,0],[4,20]],[[2,10],[8,10]]]") -> String {
        #"{"label":\#(label),"site":"ced","writer":"GYEN4328","strokes":\#(strokes)}"#
    }

    func gzip(_ text: String, in dir: String) throws -> Data {
        let raw = dir + "/raw.jsonl"
        FileManager.default.createFile(atPath: raw, contents: Data(text.utf8))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-kf", raw]
        try p.run(); p.waitUntilExit()
        return try XCTUnwrap(FileManager.default.contents(atPath: raw + ".gz"))
    }

    func evalPen(_ data: Data, in dir: String) throws -> Run {
        let set = dir + "/set"
        try? FileManager.default.createDirectory(atPath: set, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: set + "/digits.jsonl.gz", contents: data)
        return try Binary.run(["eval", "--dataset", "unipen", "--data", set], timeout: 120)
    }

    func testBadPenLinesAreRefusedNamingFileAndLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = Self.line()
        let cases: [(String, String)] = [
            ("this is not JSON", "line 3: invalid JSON at byte 0"),
            (Self.line(strokes: "[]"), "line 3: no strokes"),
            (#"{"label":"7","site":"ced","writer":"GYEN4328"}"#, "line 3: no \"strokes\""),
            (Self.line(strokes: "[[[0,0],[4,4]],[]]"), "line 3: stroke 2 is empty"),
            (Self.line(strokes: "[[[0,0],[4000000000,4]]]"), "line 3: stroke 1, point 2: coordinate out of range"),
            (Self.line(strokes: "[[[0,0],[NaN,4]]]"), "line 3: invalid JSON"),
            (Self.line("\"A\""), "line 3: label \"A\" is not a digit"),
        ]
        for (bad, expected) in cases {
            let text = [good, good, bad, good].joined(separator: "\n") + "\n"
            let r = try evalPen(try gzip(text, in: dir), in: dir)
            XCTAssertEqual(r.status, 1, "\(bad): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("digits: \(dir)/set/digits.jsonl.gz: \(expected)"), "\(bad): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertEqual(r.stdout, "", "nothing is reported from a refused file")
        }
    }

    func testTruncatedGzipIsRefusedNamingTheLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let whole = try gzip(Array(repeating: Self.line(), count: 2000).joined(separator: "\n") + "\n", in: dir)
        XCTAssertEqual(try evalPen(whole, in: dir).status, 0, "the whole file is read")
        let r = try evalPen(whole.prefix(whole.count / 2), in: dir)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("digits: \(dir)/set/digits.jsonl.gz: line "), r.stderr)
        XCTAssertTrue(r.stderr.contains("gzip data is truncated"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testPenOptionsAreChecked() throws {
        for args in [["eval", "--dataset", "unipen", "--brush", "0.5"], ["eval", "--dataset", "unipen", "--brush", "nan"],
                     ["eval", "--dataset", "unipen", "--brush", "7"], ["eval", "--brush", "2"], ["eval", "--all-writers"],
                     // Split by writer: re-splitting by sample is refused.
                     ["cv", "--dataset", "unipen"], ["train", "--dataset", "unipen", "--holdout", "0.2"]] {
            let r = try Binary.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("digits: "), r.stderr)
        }
        let none = try Binary.run(["eval", "--dataset", "unipen", "--data", "/nonexistent-pen"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no unipen data found (looked in /nonexistent-pen, /nonexistent-pen/unipen)"), none.stderr)
    }

    /// Found like the other data sets: with neither --data nor $DIGITS_DATA, in the XDG data directory.
    func testFoundInTheXDGDataDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/xdg/digits/unipen", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/xdg/digits/unipen/digits.jsonl.gz", contents: try gzip(Self.line() + "\n", in: dir))
        let r = try Binary.run(["eval", "--dataset", "unipen", "--json"], env: ["DIGITS_DATA": "", "XDG_DATA_HOME": dir + "/xdg"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Binary.json(r.stdout)["count"] as? Int, 1)
    }

    /// The shared data set: the shipped model scored on the 17 held-out writers, per site and per writer.
    func testEvalScoresHeldOutWritersPerWriter() throws {
        guard let data = Binary.dataDirectory, FileManager.default.fileExists(atPath: data + "/unipen/digits.jsonl.gz") else {
            throw XCTSkip("unipen not found; set DIGITS_DATA to run this test")
        }
        let r = try Binary.run(["eval", "--dataset", "unipen", "--data", data, "--json"], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try Binary.json(r.stdout)
        XCTAssertEqual(o["dataset"] as? String, "unipen")
        XCTAssertEqual(o["writers"] as? String, "held-out")
        XCTAssertEqual(o["brush"] as? Double, 2.8)
        let blank = try XCTUnwrap(o["blank"] as? Int)
        XCTAssertEqual((o["count"] as? Int).map { $0 + blank }, 2291)
        let writers = try XCTUnwrap(o["per_writer"] as? [[String: Any]])
        XCTAssertEqual(writers.count, 17)
        XCTAssertEqual(writers.compactMap { $0["count"] as? Int }.reduce(0, +), o["count"] as? Int)
        XCTAssertEqual(writers.compactMap { $0["errors"] as? Int }.reduce(0, +), o["errors"] as? Int)
        let accuracies = writers.compactMap { $0["accuracy"] as? Double }
        XCTAssertEqual(accuracies, accuracies.sorted(), "worst first")
        let sites = try XCTUnwrap(o["per_site"] as? [[String: Any]])
        XCTAssertEqual(Set(sites.compactMap { $0["site"] as? String }), ["ced", "syn"])
        XCTAssertGreaterThan(try XCTUnwrap(o["accuracy"] as? Double), 0.9)

        let text = try Binary.run(["eval", "--dataset", "unipen", "--data", data, "--brush", "6", "--limit", "300"], timeout: 300)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("held-out writers, brush 6.0 px"), text.stdout)
        XCTAssertTrue(text.stdout.contains("per writer (worst first)"), text.stdout)
    }
}
