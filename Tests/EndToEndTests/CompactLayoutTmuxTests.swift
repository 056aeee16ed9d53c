import Foundation
import XCTest

/// The compact layout in a real terminal: the default 80×24, and the sizes
/// between it and the full layout's (90×34), driven by mouse reports on the
/// half-block canvas and read back from the screen.
final class CompactLayoutTmuxTests: XCTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
    }

    func start(width: Int = 80, height: Int = 24, env: [String: String] = [:]) throws -> Tmux {
        let t = try Tmux(width: width, height: height, command: "'\(Binary.path)' draw --weights '\(weights)'", env: env)
        try t.wait(for: "draw a digit")
        return t
    }

    /// The footer, whole: from the first item to the last (quit), on the bottom row.
    func footerIsWhole(_ screen: String, height: Int) -> Bool {
        let row = ScreenText.row(screen, height - 1)
        return row.hasPrefix("F1 help") && row.hasSuffix("q quit")
    }

    /// The prediction and the highest bar name `digit`, and the footer is whole, on one capture.
    func assertReads(_ t: Tmux, _ digit: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try t.wait(until: "the prediction and the highest bar read \(digit), the footer whole", file: file, line: line) {
            ScreenText.predicted($0) == digit && ScreenText.highestBar($0) == digit && self.footerIsWhole($0, height: height)
        }
    }

    func quit(_ t: Tmux) throws {
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    func testMouseDrawnOneAndSevenAt80x24() throws {
        let t = try start()
        let screen = try t.screen()
        XCTAssertTrue(ScreenText.row(screen, 1).hasPrefix("┌─ draw ─────────────────────┐"), "the 30-column half-block canvas:\n\(screen)")
        XCTAssertTrue(footerIsWhole(screen, height: 24), screen)
        for (glyph, digit) in [(Glyphs.one, 1), (Glyphs.seven, 7)] {
            try t.keys("c")
            try t.wait(for: "draw a digit")
            try t.stroke(glyph, on: .compact)
            try assertReads(t, digit, height: 24)
        }
        XCTAssertTrue(try t.screen().contains("feature maps · conv1 (1/4)"))
        try quit(t)
    }

    /// The keyboard moves the cursor one pixel at a time on the half-block canvas
    /// too: a "1" drawn with keys alone reads 1, and the cursor's triangle shows.
    func testKeyboardDrawnOneAt80x24() throws {
        let t = try start()
        func repeatKey(_ k: String, _ n: Int) throws { for _ in 0..<n { try t.keys(k) } }
        try repeatKey("k", 10); try t.keys("Space"); try repeatKey("j", 19); try t.keys("Space")
        try assertReads(t, 1, height: 24)
        // The cursor ends at pixel (14, 23): cell row 11 (screen row 13), bottom pixel, pen up.
        try t.wait(until: "the cursor's ▽ at column 15, row 13") { Array(ScreenText.row($0, 13)).dropFirst(15).first == "▽" }
        try quit(t)
    }

    /// NO_COLOR: the canvas is drawn with █ ▀ ▄ (which of a cell's two pixels
    /// has ink), and no 256-colour cell is sent.
    func testMonochromeAt80x24() throws {
        let t = try start(env: ["NO_COLOR": "1"])
        try t.stroke(Glyphs.seven, on: .compact)
        try assertReads(t, 7, height: 24)
        let screen = try t.screen()
        var glyphs = Set<Character>()
        for row in 2...15 {
            let cells = Array(ScreenText.row(screen, row))
            for x in 1...28 where x < cells.count { glyphs.insert(cells[x]) }
        }
        XCTAssertTrue(glyphs.isSubset(of: [" ", "▀", "▄", "█"]), "canvas glyphs \(glyphs):\n\(screen)")
        XCTAssertTrue(glyphs.contains("█") && (glyphs.contains("▀") || glyphs.contains("▄")), "\(glyphs)")
        XCTAssertFalse(try t.screen(escapes: true).contains("8;5;"), "NO_COLOR=1, yet 256-colour cells are drawn")
        try quit(t)
    }

    /// 90×32 was the full layout's minimum, and its footer was cut by the
    /// feature-map panel's header; now it is compact and whole.
    func testAt90x32NothingIsCut() throws {
        let t = try start(width: 90, height: 32)
        try t.stroke(Glyphs.one, on: .compact)
        try assertReads(t, 1, height: 32)
        let screen = try t.screen()
        XCTAssertEqual(ScreenText.row(screen, 31), "F1 help F2 retrain F3 eval F4 load F5 save F6 summary F7 teach m menu Tab layer q quit")
        XCTAssertTrue(screen.contains("feature maps · conv1 (1/4) · 26×26×32"), screen)
        try quit(t)
    }

    /// Resizing live: full → compact → too small → full, the drawing and its
    /// reading kept across, and the mouse mapped to each canvas in turn.
    func testResizingBetweenTheLayouts() throws {
        let t = try start(width: 120, height: 40)
        try t.stroke(Glyphs.seven)
        try assertReads(t, 7, height: 40)
        try t.resize(80, 24)
        try t.wait(until: "the compact canvas, still reading 7") {
            ScreenText.row($0, 1).hasPrefix("┌─ draw ─────────────────────┐") && ScreenText.predicted($0) == 7 && self.footerIsWhole($0, height: 24)
        }
        try t.keys("c")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.one, on: .compact)
        try assertReads(t, 1, height: 24)
        try t.resize(60, 20)
        try t.wait(for: "at least 80×24")
        try t.resize(90, 34)
        try t.wait(until: "the full canvas, still reading 1") {
            ScreenText.row($0, 1).hasPrefix("┌─ draw " + String(repeating: "─", count: 49) + "┐") && ScreenText.predicted($0) == 1
        }
        try quit(t)
    }
}
