import DigitData
import XCTest
@testable import DigitTUI

final class CanvasTests: XCTestCase {
    func testBrushIsSoftAndRound() {
        var c = Canvas()
        c.brushRadius = 1.5
        c.begin(at: 14, 14)
        c.end()
        // Centre fully inked, the ring at the edge partially, far away nothing.
        XCTAssertEqual(c[13, 13], 1)
        XCTAssertEqual(c[14, 14], 1)
        let edge = c[15, 13]   // centre (15.5, 13.5): distance ≈ 1.58 from (14, 14)
        XCTAssertGreaterThan(edge, 0)
        XCTAssertLessThan(edge, 1)
        XCTAssertEqual(c[20, 20], 0)
        XCTAssertEqual(c[14 + 3, 14], 0)
    }

    /// Two far-apart mouse reports are joined: every pixel between them is inked.
    func testFastStrokeHasNoGaps() {
        var c = Canvas()
        c.begin(at: 2.5, 14.5)
        c.extend(to: 25.5, 14.5)
        c.end()
        for x in 2...25 { XCTAssertEqual(c[x, 14], 1, "gap at x=\(x)") }
        var d = Canvas()
        d.begin(at: 3.5, 3.5)
        d.extend(to: 24.5, 24.5)
        for i in 3...24 { XCTAssertEqual(d[i, i], 1, "gap on the diagonal at \(i)") }
    }

    func testEraserAndUndo() {
        var c = Canvas()
        c.begin(at: 5, 5); c.extend(to: 20, 5); c.end()
        let inked = c.pixels
        c.begin(at: 12, 5, erase: true); c.end()
        XCTAssertEqual(c[11, 4], 0)
        XCTAssertEqual(c[5, 4], 1)
        c.undo()
        XCTAssertEqual(c.pixels, inked)
        c.clear()
        XCTAssertTrue(c.isEmpty)
        c.undo()
        XCTAssertEqual(c.pixels, inked)
        c.undo()
        XCTAssertTrue(c.isEmpty)
        XCTAssertFalse(c.canUndo)
    }

    func testStampsOutsideAreClipped() {
        var c = Canvas()
        c.begin(at: -10, -10); c.extend(to: 40, -3); c.extend(to: 0, 0); c.end()
        XCTAssertEqual(c.pixels.count, 28 * 28)
        XCTAssertGreaterThan(c[0, 0], 0)
    }
}

final class LayoutTests: XCTestCase {
    func testPanelsFitAndDoNotOverlapAt120x40() throws {
        let l = Layout(width: 120, height: 40)
        XCTAssertFalse(l.tooSmall)
        XCTAssertEqual(l.mode, .full)
        XCTAssertEqual(l.canvas, Rect(x: 0, y: 1, width: 58, height: 30))
        let sees = try XCTUnwrap(l.sees)
        for r in [l.canvas, l.prediction, sees, l.lower, l.info] {
            XCTAssertLessThanOrEqual(r.maxX, 120); XCTAssertLessThanOrEqual(r.maxY, 39)
            XCTAssertGreaterThan(r.width, 0)
        }
        XCTAssertLessThanOrEqual(l.prediction.maxX, sees.x)
        XCTAssertLessThanOrEqual(sees.maxY, l.lower.y)
        XCTAssertLessThanOrEqual(l.canvas.maxX, l.prediction.x)
    }

    /// Every size from the full layout's minimum up: the 58×30 canvas, bars with
    /// room, the feature maps never squeezed, "network sees" whole where it is shown.
    func testEverySizeFromTheFullMinimumUpFits() {
        for w in stride(from: Layout.fullWidth, through: 250, by: 7) {
            for h in stride(from: Layout.fullHeight, through: 80, by: 5) {
                let l = Layout(width: w, height: h)
                XCTAssertFalse(l.tooSmall)
                XCTAssertEqual(l.mode, .full, "\(w)×\(h)")
                for r in [l.canvas, l.prediction, l.lower, l.info, l.status] + (l.sees.map { [$0] } ?? []) {
                    XCTAssertLessThanOrEqual(r.maxX, w, "\(w)×\(h)"); XCTAssertLessThanOrEqual(r.maxY, h, "\(w)×\(h)")
                    XCTAssertGreaterThanOrEqual(r.width, 0); XCTAssertGreaterThanOrEqual(r.height, 0)
                }
                XCTAssertGreaterThanOrEqual(l.prediction.width, 30, "\(w)×\(h): bars need room")
                XCTAssertGreaterThanOrEqual(l.lower.height, Layout.mapsMinimumHeight, "\(w)×\(h)")
                XCTAssertGreaterThanOrEqual(l.info.height, 2, "\(w)×\(h): the mode line and a notice")
                if let sees = l.sees {
                    XCTAssertEqual(sees.width, 30, "\(w)×\(h): the 28×28 view needs room")
                    XCTAssertTrue(sees.maxY <= l.lower.y || sees.maxX <= l.lower.x, "\(w)×\(h): sees overlaps maps")
                }
            }
        }
        XCTAssertTrue(Layout(width: 120, height: 40).sees != nil && Layout(width: 90, height: 41).sees != nil)
        XCTAssertNil(Layout(width: 90, height: 34).sees, "90×34: the feature maps keep their room, \"sees\" goes")
        XCTAssertTrue(Layout(width: 79, height: 40).tooSmall)
        XCTAssertTrue(Layout(width: 120, height: 23).tooSmall)
    }

    func testMouseCellsMapToPixels() {
        let l = Layout(width: 120, height: 40)
        // Column 1, row 2 (0-based) is the canvas's first pixel, left half.
        XCTAssertEqual(l.pixel(atColumn: 1, row: 2)?.x, 0.25)
        XCTAssertEqual(l.pixel(atColumn: 2, row: 2)?.x, 0.75)
        XCTAssertEqual(l.pixel(atColumn: 56, row: 29)?.x, 27.75)
        XCTAssertEqual(l.pixel(atColumn: 56, row: 29)?.y, 27.5)
        XCTAssertNil(l.pixel(atColumn: 0, row: 2))      // the border
        XCTAssertNil(l.pixel(atColumn: 57, row: 5))
        XCTAssertNil(l.pixel(atColumn: 10, row: 30))
        XCTAssertEqual(l.clampedPixel(atColumn: 500, row: -4).x, 27.75)
        XCTAssertEqual(l.clampedPixel(atColumn: 500, row: -4).y, 0.5)
    }
}
