import Foundation
import XCTest

/// Issue 13's "why this digit" and "explore the network" in a real terminal,
/// driven by keys and mouse reports as a person would: the evidence overlay
/// toggles and follows the drawing; a click on a feature-map tile enlarges it,
/// and a click on one of its units lights, on the canvas and on "network sees",
/// a region of the size and place that unit sees. At 120×40 and at 80×24.
final class ExplorerTmuxTests: XCTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
    }

    func start(width: Int = 120, height: Int = 40, env: [String: String] = [:]) throws -> Tmux {
        let t = try Tmux(width: width, height: height, command: "'\(Binary.path)' draw --weights '\(weights)'", env: env)
        try t.wait(for: "draw a digit")
        return t
    }

    func click(_ t: Tmux, _ col: Int, _ row: Int) throws { try t.press(col, row); try t.release(col, row) }

    /// Each screen row as cells with their foreground and background colours
    /// (xterm-256 indices, −1 for the default), from a capture with escapes:
    /// SGR 0, 38;5;N, 39, 48;5;N and 49 are all the app sends for colours.
    func colours(_ t: Tmux) throws -> [[(fg: Int, bg: Int)]] {
        try t.screen(escapes: true).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var cells: [(fg: Int, bg: Int)] = [], fg = -1, bg = -1
            let s = Array(line.unicodeScalars)
            var i = 0
            while i < s.count {
                if s[i] == "\u{1B}", i + 1 < s.count, s[i + 1] == "[" {
                    var j = i + 2, params = ""
                    while j < s.count, !(("@"..."~").contains(s[j])) { params.unicodeScalars.append(s[j]); j += 1 }
                    if j < s.count, s[j] == "m" {
                        let p = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                        var k = 0
                        while k < p.count {
                            switch p[k] {
                            case 0: fg = -1; bg = -1
                            case 39: fg = -1
                            case 49: bg = -1
                            case 38 where k + 2 < p.count && p[k + 1] == 5: fg = p[k + 2]; k += 2
                            case 48 where k + 2 < p.count && p[k + 1] == 5: bg = p[k + 2]; k += 2
                            default: break
                            }
                            k += 1
                        }
                    }
                    i = j + 1
                    continue
                }
                cells.append((fg, bg))
                i += 1
            }
            return cells
        }
    }

    static let litTints: Set<Int> = [229, 100]
    /// Ink in the grey ramp (the normaliser's box starts at a tenth of the peak: 234 and up).
    static func isInk(_ c: Int) -> Bool { (234...255).contains(c) || c == 231 }

    /// The full layout's canvas pixels (x, y) whose cells pass `test` on their background (two columns per pixel).
    func canvasPixels(_ c: [[(fg: Int, bg: Int)]], _ test: (Int) -> Bool) -> [(x: Int, y: Int)] {
        (0..<28).flatMap { y in (0..<28).compactMap { x in test(c[2 + y][1 + 2 * x].bg) ? (x, y) : nil } }
    }

    /// The pixels (x, y) of a 28×28 half-block picture whose top-left cell is (col, row) (0-based):
    /// a cell's foreground is its upper pixel, its background the lower one.
    func halfBlockPixels(_ c: [[(fg: Int, bg: Int)]], col: Int, row: Int, _ test: (Int) -> Bool) -> [(x: Int, y: Int)] {
        (0..<28).flatMap { y in (0..<28).compactMap { x in
            let cell = c[row + y / 2][col + x]
            return test(y % 2 == 0 ? cell.fg : cell.bg) ? (x, y) : nil
        } }
    }

    func testTheEvidenceOverlayTogglesAndFollowsTheDrawing() throws {
        let t = try start(env: ["NO_COLOR": "1"])
        try t.stroke(Glyphs.one)
        try t.wait(for: "prediction: 1")
        try t.keys("w")
        var screen = try t.wait(forPattern: "why: \\+ for 1, − for [0-9✗]")
        let canvasRows = { (s: String) in (2..<30).map { String(ScreenText.row(s, $0).prefix(58)) }.joined(separator: "\n") }
        let one = canvasRows(screen)
        XCTAssertTrue(one.contains("+"), one)
        // A crossbar and a flag turn it into a 7-like figure: the overlay follows.
        try t.keys("c")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.seven)
        screen = try t.wait(forPattern: "why: \\+ for 7")
        let seven = canvasRows(screen)
        XCTAssertNotEqual(one, seven)
        XCTAssertTrue(seven.contains("+"), seven)
        try t.keys("w")
        screen = try t.wait(until: "the overlay is off") { ScreenText.row($0, 1).hasPrefix("┌─ draw ─") }
        XCTAssertFalse(canvasRows(screen).contains("+"), canvasRows(screen))
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    func testAClickOnAFeatureMapUnitLightsTheRegionItSees() throws {
        let t = try start()
        try t.stroke(Glyphs.seven)
        try t.wait(for: "prediction: 7")
        // 120×40: the feature-map panel spans columns 60–120, rows 18–39 (1-based);
        // conv1's first tile's picture starts at column 62, row 21.
        try click(t, 64, 23)
        try t.wait(for: "conv1 channel 1 of 32")
        // The enlarged 26×26 map: half blocks from column 62, row 20; unit (10, 12) is at column 72, row 26.
        try click(t, 72, 26)
        try t.wait(for: "unit (11, 13): its field is lit")
        let c = try colours(t)
        // "network sees" (its pixels from column 92, row 3, 1-based): frame pixels 10–12 × 12–14, conv1's 3×3.
        let sees = halfBlockPixels(c, col: 91, row: 2) { Self.litTints.contains($0) }
        XCTAssertEqual(Set(sees.map(\.x)), Set(10...12), "\(sees)")
        XCTAssertEqual(Set(sees.map(\.y)), Set(12...14), "\(sees)")
        XCTAssertEqual(sees.count, 9)
        // The canvas: a filled rectangle of about 3 canvas pixels (the drawing is
        // scaled by about 20/19 into the frame) ...
        let canvas = canvasPixels(c) { Self.litTints.contains($0) }
        let xs = canvas.map(\.x), ys = canvas.map(\.y)
        XCTAssertEqual(canvas.count, Set(xs).count * Set(ys).count, "a filled rectangle: \(canvas)")
        XCTAssertTrue((3...4).contains(Set(xs).count) && (3...4).contains(Set(ys).count), "\(Set(xs).sorted()) × \(Set(ys).sorted())")
        // ... at its place: the canvas's ink box went onto the frame's ink box
        // (read from "network sees"), so frame column 10 came from the canvas
        // column as far into the ink box, scaled.
        let ink = canvasPixels(c, Self.isInk), frameInk = halfBlockPixels(c, col: 91, row: 2, Self.isInk)
        func span(_ v: [Int]) -> (lo: Int, n: Int) { (v.min()!, v.max()! - v.min()! + 1) }
        let (ix, iy, fx, fy) = (span(ink.map(\.x)), span(ink.map(\.y)), span(frameInk.map(\.x)), span(frameInk.map(\.y)))
        let sx = Double(ix.n) / Double(fx.n), sy = Double(iy.n) / Double(fy.n)
        XCTAssertEqual(Double(xs.min()!), Double(ix.lo) + Double(10 - fx.lo) * sx, accuracy: 1.5, "the field's left edge; ink \(ix), frame ink \(fx)")
        XCTAssertEqual(Double(ys.min()!), Double(iy.lo) + Double(12 - fy.lo) * sy, accuracy: 1.5, "the field's top edge; ink \(iy), frame ink \(fy)")
        // A deeper layer's unit sees more: conv3's field is 10×10 frame pixels.
        try t.keys("Escape")
        try t.wait(for: "feature maps · conv1")
        try t.keys("Tab"); try t.keys("Tab")
        try t.wait(for: "conv3 (3/4)")
        try click(t, 63, 23)
        try t.wait(for: "conv3 channel 1 of 64")
        // 10×10 at 2 columns and one row per unit: unit (3, 4) is at column 62 + 6, row 20 + 4.
        try click(t, 68, 24)
        try t.wait(for: "unit (4, 5): its field is lit")
        let deeper = halfBlockPixels(try colours(t), col: 91, row: 2) { Self.litTints.contains($0) }
        XCTAssertEqual(Set(deeper.map(\.x)), Set(6...15), "frame columns 6–15: \(deeper)")
        XCTAssertEqual(Set(deeper.map(\.y)), Set(8...17), "frame rows 8–17: \(deeper)")
        XCTAssertTrue(try t.screen().contains("strongest"), "a deeper kernel shows its strongest inputs")
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    func testNothingBreaksAt80x24() throws {
        let t = try start(width: 80, height: 24)
        try t.stroke(Glyphs.seven, on: .compact)
        try t.wait(for: "prediction: 7")
        func footerWhole(_ s: String) -> Bool { let r = ScreenText.row(s, 23); return r.hasPrefix("F1 help") && r.hasSuffix("q quit") }
        try t.keys("w")
        try t.wait(until: "the overlay's title, the footer whole") { ScreenText.row($0, 1).contains("why") && footerWhole($0) }
        // The compact feature-map panel: columns 32–80, rows 13–23; the first tile's picture from column 34, row 16.
        try click(t, 36, 17)
        try t.wait(until: "conv1 channel 1 enlarged, the footer whole") { $0.contains("channel 1 of 32") && footerWhole($0) }
        // 26×26 shown at half size from column 34, row 16: a click on block (6, 6) names unit (12, 12).
        try click(t, 40, 19)
        try t.wait(until: "a unit lit, the footer whole") { $0.contains("unit (13, 13)") && footerWhole($0) }
        let canvas = halfBlockPixels(try colours(t), col: 1, row: 2) { Self.litTints.contains($0) }
        XCTAssertTrue((3...4).contains(Set(canvas.map(\.x)).count), "the canvas lights conv1's 3×3 field: \(canvas)")
        try t.keys("d")
        try t.wait(until: "the dense view, the footer whole") { $0.contains("logits") && footerWhole($0) }
        try t.keys("Escape")
        try t.wait(until: "the tiles again") { $0.contains("feature maps · conv1") && footerWhole($0) }
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }
}
