import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// The belief strip: a row of class probabilities after each stroke of the drawing
/// (mouse press…release, or the keyboard's pen down…up), emptied by clear and
/// following undo, shown above the feature maps where the window has room.
final class BeliefStripTests: XCTestCase {
    func press(_ app: App, _ c: Int, _ r: Int) { app.handle(.mouse(column: c, row: r, button: .left, action: .press)) }
    func drag(_ app: App, _ c: Int, _ r: Int) { app.handle(.mouse(column: c, row: r, button: .none, action: .drag)) }
    func release(_ app: App, _ c: Int, _ r: Int) { app.handle(.mouse(column: c, row: r, button: .none, action: .release)) }
    /// A vertical stroke at screen column `c` (full layout), then the app's update.
    func stroke(_ app: App, column c: Int, from r0: Int = 6, to r1: Int = 24) {
        press(app, c, r0); drag(app, c, (r0 + r1) / 2); drag(app, c, r1); release(app, c, r1)
        app.update()
    }

    func stripText(_ app: App, color: Bool = false) throws -> [String] {
        let r = try XCTUnwrap(app.layout.belief)
        let lines = AppFixture.surface(app, color: color).lines
        return lines[r.y..<r.maxY].map { String($0.unicodeScalars.dropFirst(r.x).prefix(r.width).map(Character.init)) }
    }

    func testEachStrokeAddsARowOfItsReading() throws {
        let app = try AppFixture.app()
        XCTAssertEqual(app.belief.rows, [])
        stroke(app, column: 25)
        let first = try XCTUnwrap(app.reading).probabilities
        stroke(app, column: 35)
        let second = try XCTUnwrap(app.reading).probabilities
        XCTAssertEqual(app.belief.rows, [first, second])
        XCTAssertNotEqual(first, second)
        let text = try stripText(app)
        XCTAssertTrue(text[0].hasPrefix("belief 0  1  2  3  4  5  6  7  8  9"), text[0])
        for (i, p) in [first, second].enumerated() {
            let digit = DigitReading(p, notADigitClass: nil).digit
            XCTAssertTrue(text[1 + i].hasPrefix("     \(i + 1) "), text[1 + i])
            XCTAssertTrue(text[1 + i].trimmingCharacters(in: .whitespaces).hasSuffix(" \(digit)"), "the row ends with its digit \(digit): \(text[1 + i])")
        }
        XCTAssertEqual(text[3].trimmingCharacters(in: .whitespaces), "", "no third stroke yet")
    }

    func testUndoDropsTheLastRowAndClearEmptiesTheStripUntilUndone() throws {
        let app = try AppFixture.app()
        stroke(app, column: 25)
        stroke(app, column: 35)
        let rows = app.belief.rows
        app.handle(.key(.char("u"))); app.update()
        XCTAssertEqual(app.belief.rows, Array(rows.prefix(1)))
        stroke(app, column: 45)
        XCTAssertEqual(app.belief.rows.count, 2)
        let before = app.belief.rows, pixels = app.canvas.pixels
        app.handle(.key(.char("c"))); app.update()
        XCTAssertEqual(app.belief.rows, [])
        XCTAssertTrue(try stripText(app).joined().contains("each stroke adds a row"))
        // u after c brings the drawing back, and its strip with it.
        app.handle(.key(.char("u"))); app.update()
        XCTAssertEqual(app.canvas.pixels, pixels)
        XCTAssertEqual(app.belief.rows, before)
        // Undo past the first stroke: an empty canvas, an empty strip.
        app.handle(.key(.char("u"))); app.handle(.key(.char("u"))); app.handle(.key(.char("u"))); app.update()
        XCTAssertTrue(app.canvas.isEmpty)
        XCTAssertEqual(app.belief.rows, [])
    }

    func testAKeyboardStrokeIsPenDownToPenUp() throws {
        let app = try AppFixture.app()
        app.handle(.key(.char(" ")))
        for _ in 0..<12 { app.handle(.key(.char("j"))); app.update() }
        XCTAssertEqual(app.belief.rows, [], "no row while the pen is down")
        app.handle(.key(.char(" "))); app.update()
        XCTAssertEqual(app.belief.rows, [try XCTUnwrap(app.reading).probabilities])
    }

    /// Several reports can arrive before one update (a fast hand): a stroke's row is
    /// still the reading of the drawing as that stroke left it.
    func testARowIsTheDrawingAsItsStrokeLeftItEvenWithoutAnUpdateBetween() throws {
        let one = try AppFixture.app()
        stroke(one, column: 25)
        let expected = try XCTUnwrap(one.reading).probabilities

        let app = try AppFixture.app()
        press(app, 25, 6); drag(app, 25, 15); drag(app, 25, 24); release(app, 25, 24)
        press(app, 35, 6); drag(app, 35, 24); release(app, 35, 24)
        app.update()
        XCTAssertEqual(app.belief.rows.count, 2)
        XCTAssertEqual(app.belief.rows.first, expected)
    }

    func testTheStripSaysTheVerdictInWords() throws {
        let app = try VerdictAppTests.app(VerdictAppTests.letter)
        stroke(app, column: 25)
        let text = try stripText(app)
        XCTAssertTrue(text[0].contains(" 9  ✗"), text[0])
        XCTAssertTrue(text[1].hasSuffix("not a digit") || text[1].contains(" not a digit "), text[1])
        let unsure = try VerdictAppTests.app(VerdictAppTests.fiveOrNine)
        stroke(unsure, column: 25)
        XCTAssertTrue(try stripText(unsure)[1].contains("5 or 9?"))
    }

    func testAnotherModelStartsAnEmptyStrip() throws {
        let app = try AppFixture.app()
        stroke(app, column: 25)
        app.replaceModel(try VerdictAppTests.app(VerdictAppTests.seven).model)
        XCTAssertEqual(app.belief.rows, [])
        stroke(app, column: 35)
        XCTAssertEqual(app.belief.rows.first?.count, 11)
    }

    /// The full layout puts it under the canvas, in the info's spare rows (the
    /// feature maps keep their size); where those are too few (90×34), or in a tall
    /// compact window, it goes above the feature maps, which keep their minimum; the
    /// default 80×24 has no room for it (the prediction says the verdict there).
    func testWhereTheStripGoes() {
        for (w, h) in [(120, 40), (200, 60)] {
            let l = Layout(width: w, height: h), b = l.belief!
            XCTAssertEqual(b.y, l.info.maxY, "\(w)×\(h)")
            XCTAssertEqual(b.maxY, l.status.y, "\(w)×\(h)")
            XCTAssertGreaterThanOrEqual(l.info.height, Layout.infoRows)
            XCTAssertEqual(l.lower, Layout(width: w, height: h).lower)
        }
        XCTAssertEqual(Layout(width: 120, height: 40).info.height, 4)
        XCTAssertEqual(Layout(width: 120, height: 40).lower.height, 22, "the feature maps as before the strip")
        for (w, h) in [(90, 34), (80, 30)] {
            let l = Layout(width: w, height: h)
            guard let b = l.belief else { return XCTFail("\(w)×\(h) has no strip") }
            XCTAssertEqual(b.maxY, l.lower.y, "\(w)×\(h)")
            XCTAssertGreaterThanOrEqual(l.lower.height, Layout.mapsMinimumHeight, "\(w)×\(h)")
            XCTAssertGreaterThanOrEqual(b.height, Layout.beliefMinimumHeight)
        }
        XCTAssertNil(Layout(width: 80, height: 24).belief)
    }

    /// More strokes than rows: the latest ones show, and the title says so.
    func testManyStrokesShowTheLatest() throws {
        let app = try AppFixture.app()
        for c in stride(from: 10, through: 50, by: 5) { stroke(app, column: c) }
        XCTAssertEqual(app.belief.rows.count, 9)
        let text = try stripText(app)
        XCTAssertTrue(text[0].contains("last 3 of 9"), text[0])
        XCTAssertEqual(text.dropFirst().map { $0.prefix(7) }, ["     7 ", "     8 ", "     9 "])
    }
}

extension BeliefStripTests {
    /// A notice too long for the info's own rows takes the strip's rows back
    /// (under the canvas) rather than going into a box over the feature maps.
    func testNewsTakeTheStripsRowsBack() throws {
        let app = try AppFixture.app()
        stroke(app, column: 25)
        app.notice = (String(repeating: "a long notice that says a lot ", count: 9), false)
        let lines = AppFixture.surface(app, color: false).lines
        let screen = lines.joined(separator: "\n")
        XCTAssertFalse(screen.contains("┌─ notice"), screen)
        XCTAssertFalse(screen.contains("belief 0  1  2"), "the strip gave its rows to the notice: \(screen)")
        app.notice = nil
        XCTAssertTrue(AppFixture.surface(app, color: false).lines.joined(separator: "\n").contains("belief 0  1  2"))
    }
}
