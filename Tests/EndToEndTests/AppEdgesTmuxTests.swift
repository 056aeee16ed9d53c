import DigitData
import Foundation
import XCTest

/// Issue 11, "the app's sharp edges", each where it showed: on the screen of the
/// app in tmux at 120×40.
final class AppEdgesTmuxTests: XCTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
    }

    /// The app with the shipped weights; `mono` shows the canvas as shade characters.
    func start(mono: Bool = false, weights w: String? = nil, directory: String? = nil) throws -> Tmux {
        let t = try Tmux(command: "\(mono ? "NO_COLOR=1 " : "")'\(Binary.path)' draw --weights '\(w ?? weights)'", directory: directory)
        try t.wait(for: "draw a digit")
        return t
    }

    func rows(_ screen: String) -> [String] { screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The two cells of canvas pixel (x, y) on a captured screen (canvas at column 1, row 2, 0-based).
    func pixelText(_ screen: String, _ x: Int, _ y: Int) -> String {
        let chars = Array(rows(screen)[2 + y])
        return String(chars[1 + x * 2 ..< 3 + x * 2])
    }

    /// The screen's text with box edges and margins removed, lines joined by a space:
    /// a wrapped message reads as one.
    func flat(_ screen: String) -> String {
        rows(screen).map { $0.replacingOccurrences(of: "│", with: " ").trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "digits-edges-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    // 1. Six PgDn on conv4 ("page 4/4"), then PgUp: one page back at once.
    func testPageDownStopsAtTheLastPage() throws {
        let t = try start()
        try t.stroke(Glyphs.one)
        try t.wait(forPattern: ScreenText.reading)
        for _ in 0..<3 { try t.keys("Tab") }
        try t.wait(for: "conv4 (4/4)")
        for _ in 0..<6 { try t.keys("PageDown") }
        try t.wait(for: "page 4/4")
        try t.keys("PageUp")
        try t.wait(for: "page 3/4")
        // The wheel pages too.
        try t.literal("\u{1B}[<65;90;30M")
        try t.wait(for: "page 4/4")
    }

    // 2. Press inside, drag out to the right and down: no bar along the right edge.
    func testADragOutOfTheCanvasLeavesNoInkAlongItsEdge() throws {
        let t = try start(mono: true)
        var reports = "\u{1B}[<0;31;11M"
        for c in stride(from: 33, through: 80, by: 3) { reports += "\u{1B}[<32;\(c);11M" }
        for r in stride(from: 12, through: 38, by: 2) { reports += "\u{1B}[<32;80;\(r)M" }
        reports += "\u{1B}[<0;80;38m"
        try t.literal(reports)
        let screen = try t.wait(forPattern: ScreenText.reading)
        XCTAssertNotEqual(pixelText(screen, 27, 8), "  ", "the stroke reaches the border:\n\(screen)")
        for y in 12..<28 { XCTAssertEqual(pixelText(screen, 27, y), "  ", "ink on the right edge at y=\(y):\n\(screen)") }
    }

    // 5, 6. Save shows where it saves, asks before replacing, and says why it cannot.
    func testSaveShowsTheDirectoryAsksBeforeReplacingAndExplainsFailures() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "old".write(toFile: dir + "/m.safetensors", atomically: false, encoding: .utf8)
        let t = try start(directory: dir)
        try t.keys("F5")
        try t.wait(for: "a relative name is saved in \(dir)")
        try t.keys("C-u"); try t.literal("m.safetensors"); try t.keys("Enter")
        try t.wait(for: "\(dir)/m.safetensors exists.")
        try t.keys("n")
        try t.wait(for: "not saved: the file exists; choose another name")
        XCTAssertEqual(try String(contentsOfFile: dir + "/m.safetensors", encoding: .utf8), "old")
        // Over the shipped weights: y alone is not enough.
        try t.keys("C-u"); try t.literal(weights); try t.keys("Enter")
        try t.wait(for: "It is the shipped model")
        try t.keys("y", "Enter")
        try t.wait(for: "not saved: the file exists")
        // Where no file can be made: the real reason, whole.
        try t.keys("C-u"); try t.literal("/proc/m.safetensors"); try t.keys("Enter")
        try t.wait(until: "the reason shows whole, wrapped in the form") {
            self.flat($0).contains("/proc/m.safetensors: cannot write: no new file can be made in /proc: its file system refuses them")
        }
        try t.keys("Escape")
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    // 7. F1 closes the help; the footer's keys click.
    func testF1ClosesTheHelpAndTheFooterClicks() throws {
        let t = try start()
        try t.keys("F1")
        try t.wait(for: "this help (F1 again closes it)")
        try t.keys("F1")
        try t.wait(until: "the help closed") { !$0.contains("this help (F1 again closes it)") }
        let footer = rows(try t.screen())[39]
        guard let r = footer.range(of: "F6 summary") else { return XCTFail("no F6 in the footer: \(footer)") }
        let col = footer.distance(from: footer.startIndex, to: r.lowerBound) + 1     // 1-based
        try t.press(col + 2, 40)
        try t.release(col + 2, 40)
        try t.wait(for: "total parameters: 197,611")
    }

    // 8. A drawing does not hold up quitting.
    func testQuitWithInkOnTheCanvasDoesNotAsk() throws {
        let t = try start()
        try t.stroke(Glyphs.seven)
        try t.wait(for: "prediction: 7")
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    // 9. The keyboard's cursor goes when the mouse draws.
    func testTheKeyboardCursorGoesWhenTheMouseDraws() throws {
        let t = try start()
        try t.keys("Left")
        try t.wait(for: "[]")
        try t.stroke(Glyphs.one)
        try t.wait(until: "the cursor is gone once the mouse drew") { $0.contains("prediction: 1") && !$0.contains("[]") }
    }

    // 10. The summary's spec wraps at '-' and every token shows whole.
    func testTheSummaryShowsTheWholeSpec() throws {
        let t = try start()
        try t.keys("F6")
        let screen = try t.wait(for: "total parameters")
        let spec = "in28x28x1-conv32k3-relu-conv32k3-relu-pool2-conv64k3-relu-conv64k3-relu-pool2-flatten-dense128-relu-drop0.5-dense11-softmax"
        let text = rows(screen).map { $0.replacingOccurrences(of: "│", with: "").trimmingCharacters(in: .whitespaces) }.joined()
        XCTAssertTrue(text.contains(spec), "the spec is not whole:\n\(screen)")
    }

    // 11. A thick brush is previewed on the canvas and called out.
    func testAThickBrushIsShownAndCalledOut() throws {
        let t = try start(mono: true)
        for _ in 0..<10 { try t.keys("]") }
        let screen = try t.wait(for: "thicker than the model reads well")
        XCTAssertTrue(rows(screen)[2..<30].contains { $0.prefix(58).contains("··") }, "no brush outline on the canvas:\n\(screen)")
    }
}
