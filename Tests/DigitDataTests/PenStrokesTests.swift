import XCTest
import ConvNet
@testable import DigitData

final class PenStrokesTests: XCTestCase {
    let good = #"{"label":"7","site":"s","writer":"w1","strokes":[[[0,0],[10,0],[4,20]],[[2,10],[8,10]]]}"#

    func decode(_ text: String, _ labels: PenStrokes.Labels = .digits, limit: Int? = nil) throws -> [PenSample] {
        try PenStrokes.decode(Array(text.utf8), path: "f.jsonl", labels: labels, limit: limit)
    }

    /// The one line a bad file gets, or nil when it was read.
    func refusal(_ text: String, _ labels: PenStrokes.Labels = .digits) -> String? {
        do { _ = try decode(text, labels); return nil } catch { return "\(error)" }
    }

    func testReadsSamples() throws {
        let s = try decode(good + "\n" + good.replacingOccurrences(of: "\"7\"", with: "\"0\"") + "\n")
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[0].label, "7"); XCTAssertEqual(s[0].digit, 7); XCTAssertEqual(s[1].digit, 0)
        XCTAssertEqual(s[0].site, "s"); XCTAssertEqual(s[0].writer, "w1")
        XCTAssertEqual(s[0].strokes, [[.init(0, 0), .init(10, 0), .init(4, 20)], [.init(2, 10), .init(8, 10)]])
        // Without a final newline, and with CRLF.
        XCTAssertEqual(try decode(good).count, 1)
        XCTAssertEqual(try decode(good + "\r\n" + good + "\r\n").count, 2)
    }

    func testLimitAndKeep() throws {
        let other = good.replacingOccurrences(of: "\"w1\"", with: "\"w2\"")
        let text = [good, other, good, other].joined(separator: "\n")
        XCTAssertEqual(try decode(text, limit: 3).count, 3)
        let kept = try PenStrokes.decode(Array(text.utf8), path: "f", labels: .digits, limit: 1) { $1 == "w2" }
        XCTAssertEqual(kept.map(\.writer), ["w2"])
        // A limit stops reading: a bad line after it is not reached.
        XCTAssertEqual(try decode(good + "\nnot json\n", limit: 1).count, 1)
    }

    func testRefusesBadLinesNamingFileAndLine() {
        let cases: [(String, String)] = [
            ("not json", "f.jsonl: line 2: invalid JSON at byte 0"),
            (#"[1,2]"#, "f.jsonl: line 2: not a JSON object"),
            (#"{"label":"7","site":"s","writer":"w"}"#, "f.jsonl: line 2: no \"strokes\""),
            (#"{"label":"7","site":"s","writer":"w","strokes":[]}"#, "f.jsonl: line 2: no strokes"),
            (#"{"label":"7","site":"s","writer":"w","strokes":[[[1,1]],[]]}"#, "f.jsonl: line 2: stroke 2 is empty"),
            (#"{"label":"7","site":"s","writer":"w","strokes":[[[1,3000000000]]]}"#, "f.jsonl: line 2: stroke 1, point 1: coordinate out of range"),
            (#"{"label":"7","site":"s","writer":"w","strokes":[[[NaN,1]]]}"#, "f.jsonl: line 2: invalid JSON"),
            (#"{"label":"7","site":"s","writer":"w","strokes":[[[1e999,1]]]}"#, "f.jsonl: line 2: invalid JSON"),
            (#"{"label":"7","site":"s","writer":"w","strokes":[[[1,2,3]]]}"#, "f.jsonl: line 2: stroke 1, point 1 is not a pair"),
            (#"{"label":"7","site":"s","writer":"w","strokes":[[["1",2]]]}"#, "f.jsonl: line 2: stroke 1, point 1 is not a pair"),
            (#"{"label":"A","site":"s","writer":"w","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: label \"A\" is not a digit"),
            (#"{"label":"77","site":"s","writer":"w","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: label \"77\" is not a digit"),
            (#"{"label":7,"site":"s","writer":"w","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: \"label\" is not a string"),
            (#"{"label":"7","site":"","writer":"w","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: \"site\" must have"),
            (#"{"label":"7","site":"a/b","writer":"w","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: \"site\" holds a control character or '/'"),
            (#"{"label":"7","site":"s","writer":"w\u0007","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: \"writer\" holds a control character"),
            (#"{"label":"7","site":"s","writer":"\#(String(repeating: "é", count: 33))","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: \"writer\" must have 1 to 64 bytes"),
            (#"{"label":"7","label":"1","site":"s","writer":"w","strokes":[[[1,2]]]}"#, "f.jsonl: line 2: \"label\" given 2 times"),
            ("", "f.jsonl: line 2: empty line"),
        ]
        for (line, expected) in cases {
            let message = refusal(good + "\n" + line + "\n" + good + "\n")
            XCTAssertTrue(message?.hasPrefix(expected) == true, "\(line): \(message ?? "read")")
            XCTAssertFalse(message?.contains("\n") ?? true)
        }
        XCTAssertEqual(refusal(""), "f.jsonl: no samples (empty file)")
    }

    func testLabelsOfTheLettersFile() throws {
        let letter = good.replacingOccurrences(of: "\"7\"", with: "\"q\"")
        XCTAssertEqual(try decode(letter, .letters).first?.label, "q")
        XCTAssertNil(try decode(letter, .letters).first?.digit)
        XCTAssertTrue(refusal(good, .letters)?.contains("line 1: label \"7\" is not one ASCII letter") == true)
        XCTAssertTrue(refusal(good.replacingOccurrences(of: "\"7\"", with: "\"é\""), .letters) != nil)
        XCTAssertFalse(PenStrokes.countsAsNotADigit("O"))
        XCTAssertFalse(PenStrokes.countsAsNotADigit("q"))
        XCTAssertTrue(PenStrokes.countsAsNotADigit("A"))
        XCTAssertEqual(PenStrokes.digitLikeLetters.count, 13)
    }

    func testCapsOnStrokesAndPoints() {
        let strokes = Array(repeating: "[[1,1]]", count: PenStrokes.Limits.strokesPerSample + 1).joined(separator: ",")
        XCTAssertTrue(refusal(#"{"label":"7","site":"s","writer":"w","strokes":[\#(strokes)]}"#)?.contains("strokes, over the limit") == true)
        let points = Array(repeating: "[1,1]", count: PenStrokes.Limits.pointsPerSample + 1).joined(separator: ",")
        XCTAssertTrue(refusal(#"{"label":"7","site":"s","writer":"w","strokes":[[\#(points)]]}"#)?.contains("points, over the limit") == true)
        // A zigzag far longer than the drawing is wide (random points: minutes to draw).
        let zigzag = (0..<400).map { "[\($0 % 2 * 100),\($0 % 3)]" }.joined(separator: ",")
        XCTAssertEqual(refusal(#"{"label":"7","site":"s","writer":"w","strokes":[[\#(zigzag)]]}"#),
                       "f.jsonl: line 1: the pen's path is 399 times the drawing's size, over the limit of 100")
        let long = String(repeating: " ", count: PenStrokes.Limits.lineBytes + 1)
        XCTAssertTrue(refusal(good + "\n" + long + good + "\n")?.hasPrefix("f.jsonl: line 2: longer than") == true)
        let tiny = #"{"label":"1","site":"s","writer":"w","strokes":[[[0,0]]]}"#
        let many = Array(repeating: tiny, count: PenStrokes.Limits.samples + 1).joined(separator: "\n")
        XCTAssertEqual(refusal(many), "f.jsonl: line \(PenStrokes.Limits.samples + 1): more than \(PenStrokes.Limits.samples) samples, over the limit")
        let deep = String(repeating: "[", count: 10_000)
        XCTAssertTrue(refusal(deep)?.contains("nested too deeply") == true)
    }

    func testTruncatedGzipNamesTheLine() throws {
        let text = Array(repeating: good, count: 400).joined(separator: "\n") + "\n"
        let gz = try gzip(Array(text.utf8))
        XCTAssertEqual(try PenStrokes.decode(gz, path: "f.gz", labels: .digits).count, 400)
        do {
            _ = try PenStrokes.decode(Array(gz.dropLast(40)), path: "f.gz", labels: .digits)
            XCTFail("a truncated gzip was read")
        } catch {
            XCTAssertTrue("\(error)".hasPrefix("f.gz: line "), "\(error)")
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }

    func testInputIsTheAppsPath() throws {
        let sample = try XCTUnwrap(decode(good).first)
        let input = try XCTUnwrap(sample.input())
        let canvas = try XCTUnwrap(Canvas.drawing(sample.strokes))
        XCTAssertEqual(input, DrawingInput.prepare(canvas)?.pixels)
        XCTAssertEqual(input.count, 28 * 28)
        XCTAssertNotEqual(sample.input(brushRadius: 3.0), input)
    }

    /// Against the real files when they are present.
    func testTheSharedFiles() throws {
        guard let root = ProcessInfo.processInfo.environment["DIGITS_DATA"],
              isRegularFile("\(root)/unipen/\(PenStrokes.digitsFile)") else {
            throw XCTSkip("unipen not found; set DIGITS_DATA to run this test")
        }
        let digits = try PenStrokes.read("\(root)/unipen/\(PenStrokes.digitsFile)", labels: .digits)
        XCTAssertEqual(digits.count, 8530)
        XCTAssertEqual(Set(digits.map { "\($0.site)/\($0.writer)" }).count, 64)
        XCTAssertEqual(digits.filter { WriterSplit.isHeldOut(site: $0.site, writer: $0.writer) }.count, 2291)
        let letters = try PenStrokes.read("\(root)/unipen/\(PenStrokes.lettersFile)", labels: .letters)
        XCTAssertEqual(letters.count, 31898)
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = NSTemporaryDirectory() + "pen-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/a", contents: Data(bytes))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-k", dir + "/a"]
        try p.run(); p.waitUntilExit()
        return Array(FileManager.default.contents(atPath: dir + "/a.gz")!)
    }
}
