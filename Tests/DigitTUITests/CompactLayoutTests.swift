import DigitData
import XCTest
import ConvNet
@testable import DigitTUI

/// The compact layout (80×24 up to the full layout's size), rendered to a Surface
/// and read back as text, as AppTests does for the full layout.
final class CompactLayoutTests: XCTestCase {
    func makeApp(width: Int = 80, height: Int = 24) throws -> App { try AppFixture.app(width: width, height: height) }
    func render(_ app: App, color: Bool = true) -> Surface { AppFixture.surface(app, color: color) }

    /// A mouse drag through screen cells (0-based), one report per cell given.
    func drag(_ app: App, _ cells: [(Int, Int)]) {
        app.handle(.mouse(column: cells[0].0, row: cells[0].1, button: .left, action: .press))
        for c in cells.dropFirst() { app.handle(.mouse(column: c.0, row: c.1, button: .none, action: .drag)) }
        app.handle(.mouse(column: cells.last!.0, row: cells.last!.1, button: .none, action: .release))
    }

    static let footer = "F1 help F2 retrain F3 eval F4 load F5 save F6 summary m menu Tab layer q quit"

    // MARK: layout

    func testSizesChooseTheLayout() {
        XCTAssertEqual(Layout(width: 80, height: 24).mode, .compact)
        XCTAssertEqual(Layout(width: 90, height: 32).mode, .compact, "90×32 has no room for the full canvas and a notice")
        XCTAssertEqual(Layout(width: 89, height: 60).mode, .compact)
        XCTAssertEqual(Layout(width: 250, height: 33).mode, .compact)
        XCTAssertEqual(Layout(width: 90, height: 34).mode, .full)
        XCTAssertFalse(Layout(width: 80, height: 24).tooSmall)
        XCTAssertTrue(Layout(width: 79, height: 24).tooSmall)
        XCTAssertTrue(Layout(width: 80, height: 23).tooSmall)
    }

    func testTheCompactPanelsAt80x24() {
        let l = Layout(width: 80, height: 24)
        XCTAssertEqual(l.canvas, Rect(x: 0, y: 1, width: 30, height: 16), "28×14 cells of half blocks, boxed")
        XCTAssertEqual(l.prediction, Rect(x: 31, y: 1, width: 49, height: 12), "ten bars, boxed")
        XCTAssertEqual(l.lower, Rect(x: 31, y: 13, width: 49, height: 10))
        XCTAssertEqual(l.info, Rect(x: 0, y: 17, width: 30, height: 6))
        XCTAssertNil(l.sees, "no room for the network's view at 80×24")
        XCTAssertEqual(l.status, Rect(x: 0, y: 23, width: 80, height: 1))
    }

    /// Every compact size: inside the window, no two panels overlap, the feature
    /// maps keep their minimum, "sees" whole where shown.
    func testEveryCompactSizeFits() {
        var sizes: [(Int, Int)] = []
        for w in stride(from: Layout.minimumWidth, through: 250, by: 3) { for h in Layout.minimumHeight..<Layout.fullHeight { sizes.append((w, h)) } }
        for w in Layout.minimumWidth..<Layout.fullWidth { for h in stride(from: Layout.minimumHeight, through: 80, by: 3) { sizes.append((w, h)) } }
        for (w, h) in sizes {
            let l = Layout(width: w, height: h)
            XCTAssertEqual(l.mode, .compact, "\(w)×\(h)")
            let panels = [l.title, l.canvas, l.info, l.prediction, l.lower, l.status] + (l.sees.map { [$0] } ?? [])
            for r in panels {
                XCTAssertTrue(r.x >= 0 && r.y >= 0 && r.maxX <= w && r.maxY <= h, "\(w)×\(h): \(r) outside")
            }
            for (i, a) in panels.enumerated() {
                for b in panels[(i + 1)...] where a.width > 0 && a.height > 0 && b.width > 0 && b.height > 0 {
                    let apart = a.maxX <= b.x || b.maxX <= a.x || a.maxY <= b.y || b.maxY <= a.y
                    XCTAssertTrue(apart, "\(w)×\(h): \(a) overlaps \(b)")
                }
            }
            XCTAssertGreaterThanOrEqual(l.prediction.width, 36, "\(w)×\(h): bars need room")
            XCTAssertGreaterThanOrEqual(l.prediction.height, 12, "\(w)×\(h): ten bars")
            XCTAssertGreaterThanOrEqual(l.lower.height, Layout.mapsMinimumHeight, "\(w)×\(h)")
            if let sees = l.sees { XCTAssertEqual(sees.width, 30); XCTAssertEqual(sees.height, 16) }
        }
        XCTAssertNotNil(Layout(width: 100, height: 30).sees, "beside the prediction")
        XCTAssertNotNil(Layout(width: 98, height: 24).sees, "beside the prediction and the feature maps")
        XCTAssertNil(Layout(width: 97, height: 24).sees)
        XCTAssertNotNil(Layout(width: 80, height: 40).sees, "under the prediction")
    }

    /// A cell is one pixel wide and two tall; the pen goes to its centre, the line
    /// between its two pixels.
    func testMouseCellsMapToPixelPairs() {
        let l = Layout(width: 80, height: 24)
        XCTAssertEqual(l.pixel(atColumn: 1, row: 2)?.x, 0.5)
        XCTAssertEqual(l.pixel(atColumn: 1, row: 2)?.y, 1)
        XCTAssertEqual(l.pixel(atColumn: 28, row: 15)?.x, 27.5)
        XCTAssertEqual(l.pixel(atColumn: 28, row: 15)?.y, 27)
        XCTAssertNil(l.pixel(atColumn: 0, row: 2))      // the border
        XCTAssertNil(l.pixel(atColumn: 29, row: 5))
        XCTAssertNil(l.pixel(atColumn: 5, row: 16))
        XCTAssertNil(l.pixel(atColumn: 40, row: 5), "the prediction panel")
        XCTAssertEqual(l.clampedPixel(atColumn: 500, row: -4).x, 27.5)
        XCTAssertEqual(l.clampedPixel(atColumn: 500, row: -4).y, 1)
        XCTAssertEqual(l.clampedPixel(atColumn: -9, row: 400).y, 27)
    }

    // MARK: drawing

    /// A fast vertical drag, one report every third row, inks every pixel row of
    /// its column from the first cell's centre to the last's, with no gap.
    func testAFastDragDrawsAContinuousStroke() throws {
        let app = try makeApp()
        drag(app, [(15, 2), (15, 5), (15, 8), (15, 11), (15, 14), (15, 15)])
        for y in 1...27 { XCTAssertGreaterThan(app.canvas[14, y], 0.9, "pixel (14, \(y))") }
        XCTAssertEqual(app.canvas[20, 14], 0, "ink stays near the stroke")
        let diagonal = try makeApp()
        drag(diagonal, [(3, 3), (27, 14)])
        for x in 3...25 {
            let column = (0..<Canvas.size).map { diagonal.canvas[x, $0] }
            XCTAssertGreaterThan(column.max()!, 0.9, "column \(x) of the diagonal")
        }
    }

    func testDrawingAt80x24ShowsThePredictionTheMapsAndTheWholeFooter() throws {
        let app = try makeApp()
        drag(app, [(15, 3), (15, 8), (15, 14)])
        let lines = render(app, color: false).lines
        let screen = lines.joined(separator: "\n")
        let reading = try XCTUnwrap(app.reading)
        XCTAssertTrue(lines[1].contains("prediction: \(reading.top) ("), lines[1])
        for d in 0..<10 {
            XCTAssertTrue(lines[2 + d].contains(" \(d) "), "bar \(d): \(lines[2 + d])")
            XCTAssertTrue(lines[2 + d].hasSuffix("%│"), "bar \(d)'s percentage whole: \(lines[2 + d])")
        }
        XCTAssertTrue(lines[13].contains("feature maps · conv1 (1/2)"), lines[13])
        XCTAssertTrue(lines[14].contains("channels 1–4 of 4"), lines[14])
        XCTAssertEqual(lines[23].trimmingCharacters(in: .whitespaces), Self.footer)
        XCTAssertTrue(screen.contains("pen · brush 2.80 px"))
        XCTAssertFalse(screen.contains("network sees"))
        // The stroke from pixel row 3 to 25, 2.8 px wide: pixel rows 2 to 25 of
        // column 14 are ink, cells 1 to 12 (screen rows 3 to 14) in half blocks.
        let column = lines.map { Array($0.unicodeScalars)[15] }
        XCTAssertEqual(String(String.UnicodeScalarView(column[2...15])), " ████████████ ")
    }

    func testTheFooterIsWholeAt90x32() throws {
        let app = try makeApp(width: 90, height: 32)
        drag(app, [(15, 3), (15, 14)])
        let lines = render(app).lines
        XCTAssertEqual(lines[31].trimmingCharacters(in: .whitespaces),
                       "F1 help F2 retrain F3 eval F4 load F5 save F6 summary F7 teach m menu Tab layer q quit")
        XCTAssertTrue(lines.joined().contains("feature maps · conv1 (1/2)"))
    }

    /// With colour, "▀" in the top pixel's grey on the bottom pixel's grey;
    /// monochrome, the glyph says which of the two pixels has ink.
    func testHalfBlocksShowBothPixelsOfACell() throws {
        let app = try makeApp()
        var pixels = [Float](repeating: 0, count: Canvas.size * Canvas.size)
        pixels[4 * 28 + 3] = 1        // top pixel of cell row 2, column 3
        pixels[7 * 28 + 5] = 1        // bottom pixel of cell row 3, column 5
        pixels[8 * 28 + 7] = 1; pixels[9 * 28 + 7] = 1      // both pixels of cell row 4, column 7
        pixels[10 * 28 + 9] = 0.4; pixels[11 * 28 + 9] = 0.6   // half-inked: below, at the threshold
        app.canvas.set(pixels)
        let mono = render(app, color: false)
        func glyph(_ s: Surface, _ x: Int, _ row: Int) -> Unicode.Scalar { s[1 + x, 2 + row].scalar }
        XCTAssertEqual(glyph(mono, 3, 2), "▀")
        XCTAssertEqual(glyph(mono, 5, 3), "▄")
        XCTAssertEqual(glyph(mono, 7, 4), "█")
        XCTAssertEqual(glyph(mono, 9, 5), "▄")
        XCTAssertEqual(glyph(mono, 4, 2), " ")
        let colour = render(app, color: true)
        let theme = Theme(color: true)
        XCTAssertEqual(colour[1 + 3, 2 + 2], Cell(scalar: "▀", style: Style(fg: theme.grey(1), bg: theme.grey(0))))
        XCTAssertEqual(colour[1 + 5, 2 + 3], Cell(scalar: "▀", style: Style(fg: theme.grey(0), bg: theme.grey(1))))
        XCTAssertEqual(colour[1 + 9, 2 + 5], Cell(scalar: "▀", style: Style(fg: theme.grey(0.4), bg: theme.grey(0.6))))
    }

    /// The keyboard cursor moves one pixel at a time; its cell shows which of the
    /// two pixels it is on, and whether the pen is down.
    func testTheKeyboardCursorPointsToItsPixel() throws {
        let app = try makeApp()
        app.handle(.key(.down))                                    // (14, 15): cell row 7, bottom pixel
        XCTAssertEqual(render(app, color: false)[1 + 14, 2 + 7].scalar, "▽")
        app.handle(.key(.down))                                    // (14, 16): cell row 8, top pixel
        XCTAssertEqual(render(app, color: false)[1 + 14, 2 + 8].scalar, "△")
        app.handle(.key(.char(" ")))
        app.handle(.key(.down))
        let s = render(app, color: true)
        XCTAssertEqual(s[1 + 14, 2 + 8].scalar, "▼", "pen down, on the bottom pixel")
        XCTAssertEqual(s[1 + 14, 2 + 8].style.fg, 214)
        XCTAssertGreaterThan(app.canvas[14, 16], 0.9)
        XCTAssertGreaterThan(app.canvas[14, 17], 0.9)
    }

    func testMonochromeAt80x24UsesOnlyHalfBlocksOnTheCanvas() throws {
        let app = try makeApp()
        drag(app, [(8, 3), (20, 3), (12, 14)])
        let s = render(app, color: false)
        var glyphs = Set<Unicode.Scalar>()
        for row in 0..<14 { for x in 0..<28 { glyphs.insert(s[1 + x, 2 + row].scalar) } }
        XCTAssertTrue(glyphs.isSubset(of: [" ", "▀", "▄", "█"]), "\(glyphs)")
        XCTAssertTrue(glyphs.contains("█"))
        XCTAssertEqual(s.lines[23].trimmingCharacters(in: .whitespaces), Self.footer)
    }

    // MARK: text

    /// Under the half-block canvas the info panel is 28 columns: the thick-brush
    /// warning goes on its own rows, whole, and the hints give way to it.
    func testTheInfoPanelKeepsWarningsWholeAt80x24() throws {
        let app = try makeApp()
        for _ in 0..<8 { app.handle(.key(.char("]"))) }
        XCTAssertTrue(app.brushTooThick)
        let info = render(app, color: false).lines[17..<23].map { String(Array($0)[0..<30]).trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(info.first, "pen · brush 6.00 px")
        XCTAssertEqual(info.filter { !$0.isEmpty }.suffix(2).joined(separator: " "), "thicker than the model reads well", "\(info)")
        let wide = try makeApp(width: 120, height: 40)
        for _ in 0..<8 { wide.handle(.key(.char("]"))) }
        XCTAssertTrue(render(wide).lines[31].contains("pen · brush 6.00 px · thicker than the model reads well"))
    }

    func testTheTooSmallMessageWrapsAtWords() throws {
        let app = try makeApp(width: 20, height: 10)
        let lines = render(app).lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        XCTAssertEqual(lines.joined(separator: " "),
                       "digits needs a window of at least 80×24; this one is 20×10. Enlarge it, or press q to quit.")
    }

    /// Resizing live, through every kind of size (the monkey test's range): each
    /// frame renders (a debug build traps on any cell outside the surface), the
    /// drawing stays, and the footer ends with "q quit" wherever the app is shown.
    func testResizingBetweenLayoutsKeepsTheDrawingAndTheFooter() throws {
        let app = try makeApp(width: 120, height: 40)
        app.handle(.mouse(column: 20, row: 8, button: .left, action: .press))
        app.handle(.mouse(column: 30, row: 25, button: .none, action: .drag))
        app.handle(.mouse(column: 30, row: 25, button: .none, action: .release))
        let drawn = app.canvas.pixels
        var rng = RNG(seed: 7)
        let sizes = [(80, 24), (90, 32), (100, 30), (120, 40), (20, 10), (250, 80), (89, 33), (90, 34), (250, 24), (80, 80)]
            + (0..<60).map { _ in (20 + Int(rng.below(231)), 10 + Int(rng.below(71))) }
        for (w, h) in sizes {
            app.handle(.resize(width: w, height: h))
            app.handle(.key(.tab))
            let lines = render(app, color: w % 2 == 0).lines
            XCTAssertEqual(app.canvas.pixels, drawn)
            if !app.layout.tooSmall {
                XCTAssertTrue(lines[h - 1].trimmingCharacters(in: .whitespaces).hasSuffix("q quit"), "\(w)×\(h): \(lines[h - 1])")
                XCTAssertTrue(lines[1].contains("prediction: "), "\(w)×\(h)")
            }
        }
    }
}

final class TextFitTests: XCTestCase {
    func testJoinDropsPartsInOrderThenClipsAtAWord() {
        let parts = ["feature maps", "conv2 (2/4)", "24×24×32", "Tab: next layer"]
        XCTAssertEqual(TextFit.join(parts, width: 60, dropping: [3, 2, 0]), "feature maps · conv2 (2/4) · 24×24×32 · Tab: next layer")
        XCTAssertEqual(TextFit.join(parts, width: 45, dropping: [3, 2, 0]), "feature maps · conv2 (2/4) · 24×24×32")
        XCTAssertEqual(TextFit.join(parts, width: 30, dropping: [3, 2, 0]), "feature maps · conv2 (2/4)")
        XCTAssertEqual(TextFit.join(parts, width: 20, dropping: [3, 2, 0]), "conv2 (2/4)")
        XCTAssertEqual(TextFit.join(parts, width: 8, dropping: [3, 2, 0]), "conv2…")
    }

    func testClipNeverCutsAWordUnlessItIsTheOnlyOne() {
        XCTAssertEqual(TextFit.clip("measuring the new model", width: 30), "measuring the new model")
        XCTAssertEqual(TextFit.clip("measuring the new model", width: 20), "measuring the new…")
        XCTAssertEqual(TextFit.clip("measuring the new model", width: 17), "measuring the…")
        XCTAssertEqual(TextFit.clip("loss 0.1 · accuracy 97 %", width: 17), "loss 0.1…")
        XCTAssertEqual(TextFit.clip("supercalifragilistic", width: 6), "super…")
        XCTAssertEqual(TextFit.clip("anything", width: 0), "")
    }

    func testTheFooterGetsDenserAsTheRowNarrows() {
        let items: [(key: String, label: String)] = [("F1", "help"), ("F2", "retrain"), ("m", "menu"), ("q", "quit")]
        func text(_ width: Int) -> String {
            var row = [Character](repeating: " ", count: width)
            for p in FooterLayout(items, width: width).items {
                for (i, ch) in (p.key + p.label).enumerated() { row[p.x + i] = ch }
            }
            return String(row).trimmingCharacters(in: .whitespaces)
        }
        XCTAssertEqual(text(40), "F1 help  F2 retrain  m menu  q quit")
        XCTAssertEqual(text(32), "F1 help F2 retrain m menu q quit")
        XCTAssertEqual(text(28), "F1help F2retrain mmenu qquit")
        XCTAssertEqual(text(20), "F1help qquit", "items go from the end; the last one (quit) stays")
        XCTAssertEqual(text(6), "qquit")
        XCTAssertEqual(text(3), "")
    }

    /// What the menu also offers leaves the footer first, before the row gets
    /// denser: after a training run, "y keep" and "n discard" stay at 80 columns.
    func testTheFooterDropsWhatTheMenuOffersFirst() {
        let items: [(key: String, label: String)] = [("F1", "help"), ("F2", "retrain"), ("F3", "eval"), ("m", "menu"),
                                                     ("y", "keep"), ("n", "discard"), ("q", "quit")]
        func text(_ width: Int) -> String {
            FooterLayout(items, width: width, droppable: [2, 1]).items.map { $0.key + $0.label }.joined(separator: " ")
        }
        XCTAssertEqual(text(57), "F1 help F2 retrain F3 eval m menu y keep n discard q quit")
        XCTAssertEqual(text(50), "F1 help F2 retrain m menu y keep n discard q quit")
        XCTAssertEqual(text(40), "F1 help m menu y keep n discard q quit")
        XCTAssertEqual(text(30), "F1help mmenu ykeep qquit")
    }
}
