import Foundation
import XCTest
import ConvNet
import DigitData

/// The verdict and the belief strip in a real terminal, driven as a person would:
/// pen-written samples of held-out writers replayed as mouse drags, read by a small
/// verdict model the test trains (`TrainedVerdictModel`).
final class VerdictTmuxTests: XCTestCase {
    var weights: String!
    var network: Network!

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        weights = try TrainedVerdictModel.path()
        network = try WeightsFile.load(weights).network
    }

    /// The first held-out sample in `file` with a label in `labels` whose replay as
    /// drags the model reads as `wanted`, of `strokes` strokes:
    /// the test is of the app's path from drags to words, so it draws one the model
    /// itself judges as wanted, whatever its rate on all of them (`digits eval --dataset letters`).
    func heldOutSample(_ file: String, _ kind: PenStrokes.Labels, labels: Set<String>, strokes: ClosedRange<Int> = 1...64,
                       wanted: (DigitReading, PenSample) -> Bool) throws -> (PenSample, DigitReading) {
        let path = Binary.dataDirectory! + "/unipen/" + file
        let samples = try PenStrokes.read(path, labels: kind, limit: 3000) { WriterSplit.isHeldOut(site: $0, writer: $1) }
        for s in samples where labels.contains(s.label) && strokes.contains(s.strokes.filter({ !$0.isEmpty }).count) {
            if let r = TrainedVerdictModel.readAsDragged(TrainedVerdictModel.canvasStrokes(s), by: network), wanted(r, s) { return (s, r) }
        }
        throw XCTSkip("no held-out sample of \(labels.sorted()) that the test's model reads as wanted")
    }

    override class func tearDown() { TrainedVerdictModel.remove() }

    func start() throws -> Tmux {
        let t = try Tmux(width: 120, height: 40, command: "'\(Binary.path)' draw --weights '\(weights!)'")
        try t.wait(for: "draw a digit")
        return t
    }

    /// The belief strip's stroke numbers, read under its heading row ("belief 0  1  2 …").
    func stripRows(_ screen: String) -> [Int] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let top = lines.firstIndex(where: { String($0).contains("belief 0  1  2") }),
              let x = lines[top].indices.first(where: { String(lines[top][$0...]).hasPrefix("belief 0") }) else { return [] }
        var rows: [Int] = []
        for line in lines[(top + 1)...] {
            guard line.count >= x + 7, let n = Int(String(line[x..<(x + 6)]).trimmingCharacters(in: .whitespaces)) else { break }
            rows.append(n)
        }
        return rows
    }

    func testAPenWrittenLetterIsNotADigitAndADigitIsItsDigit() throws {
        let letters = Set("ACEFHKMNPRTUVWXY".map(String.init))
        let (letter, _) = try heldOutSample(PenStrokes.lettersFile, .letters, labels: letters, strokes: 2...3) { r, _ in r.verdict == .notADigit }
        let (digit, read) = try heldOutSample(PenStrokes.digitsFile, .digits, labels: ["4", "7", "3"]) { r, s in
            r.verdict == .digit && r.digit == s.digit
        }
        let t = try start()
        for stroke in TrainedVerdictModel.canvasStrokes(letter) { try t.stroke(stroke) }
        try t.wait(until: "the pen-written \(letter.label) reads as not a digit") { $0.contains("─ not a digit (") }
        let strokes = TrainedVerdictModel.canvasStrokes(letter).count
        // Two or three strokes: every row shows at 120×40 (three rows). Monochrome
        // would show the same words: the capture is text only.
        let screen = try t.wait(until: "the belief strip has a row per stroke (\(strokes))") { self.stripRows($0) == Array(1...strokes) }
        XCTAssertTrue(screen.contains("belief 0  1  2  3  4  5  6  7  8  9  ✗"), screen)
        try t.keys("u")
        try t.wait(until: "undo drops the last row") { self.stripRows($0) == Array(1..<strokes) }
        try t.keys("c")
        try t.wait(for: "belief: each stroke adds a row")

        for stroke in TrainedVerdictModel.canvasStrokes(digit) { try t.stroke(stroke) }
        try t.wait(until: "the pen-written \(digit.label) reads as \(read.digit)") {
            ScreenText.predicted($0) == read.digit && !$0.contains("not a digit")
        }
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }
}
