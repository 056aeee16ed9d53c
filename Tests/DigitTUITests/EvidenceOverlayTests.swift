import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// The evidence overlay (w): on the drawn strokes, red/blue with colour and
/// + / − without, recomputed with the drawing, in both layouts.
final class EvidenceOverlayTests: XCTestCase {
    func drag(_ app: App, _ cells: [(Int, Int)]) {
        app.handle(.mouse(column: cells[0].0, row: cells[0].1, button: .left, action: .press))
        for c in cells.dropFirst() { app.handle(.mouse(column: c.0, row: c.1, button: .none, action: .drag)) }
        app.handle(.mouse(column: cells.last!.0, row: cells.last!.1, button: .none, action: .release))
    }

    /// A 7 at 120×40 (two columns per pixel; the canvas's pixels start at column 1, row 2).
    func drawSeven(_ app: App) {
        drag(app, (0..<14).map { (13 + $0 * 2 * 2, 6) })
        drag(app, (0..<16).map { (13 + 26 * 2 - $0 * 2, 6 + $0) })
    }

    let evidenceColours = Set(EvidenceStyle.red + EvidenceStyle.blue)

    /// The canvas cells (pixel x, y) that carry an evidence colour.
    func coloured(_ s: Surface, _ app: App) -> [(x: Int, y: Int, red: Bool)] {
        let r = app.layout.canvas
        var out: [(Int, Int, Bool)] = []
        for y in 0..<Canvas.size { for x in 0..<Canvas.size {
            let bg = s[r.x + 1 + x * 2, r.y + 1 + y].style.bg
            if evidenceColours.contains(bg) { out.append((x, y, EvidenceStyle.red.contains(bg))) }
        } }
        return out
    }

    func testTheOverlayTogglesAndLiesOnTheStrokes() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        var s = AppFixture.surface(app)
        XCTAssertTrue(coloured(s, app).isEmpty, "off until w")
        app.handle(.key(.char("w")))
        s = AppFixture.surface(app)
        let cells = coloured(s, app)
        XCTAssertGreaterThan(cells.count, 20, "the strokes carry evidence")
        XCTAssertTrue(cells.contains { $0.red }, "some ink for the answer")
        XCTAssertTrue(cells.contains { !$0.red }, "some ink for the runner-up")
        // Red and blue fall on the drawing: next to ink, never in an empty region.
        for c in cells {
            let near = (-1...1).contains { dy in (-1...1).contains { dx in
                let x = c.x + dx, y = c.y + dy
                return x >= 0 && x < Canvas.size && y >= 0 && y < Canvas.size && app.canvas[x, y] > 0
            } }
            XCTAssertTrue(near, "evidence at (\(c.x), \(c.y)) away from the ink")
        }
        let e = try XCTUnwrap(app.reading?.evidence)
        XCTAssertTrue(s.lines[app.layout.canvas.y].contains("why: red for \(e.top), blue for \(e.runnerUp)"), s.lines[app.layout.canvas.y])
        app.handle(.key(.char("w")))
        s = AppFixture.surface(app)
        XCTAssertTrue(coloured(s, app).isEmpty, "w again turns it off")
        XCTAssertNil(app.reading?.evidence, "and stops computing it")
    }

    func testTheOverlayFollowsTheDrawing() throws {
        let app = try AppFixture.app()
        app.handle(.key(.char("w")))
        drawSeven(app)
        let before = coloured(AppFixture.surface(app), app).map { "\($0.x),\($0.y),\($0.red)" }
        drag(app, (0..<10).map { (25 + $0 * 2, 20) })   // a crossbar
        let after = coloured(AppFixture.surface(app), app).map { "\($0.x),\($0.y),\($0.red)" }
        XCTAssertNotEqual(before, after)
        XCTAssertTrue(after.contains { $0.hasSuffix(",20,true") || $0.hasSuffix(",20,false") } || after.contains { $0.contains(",18,") || $0.contains(",19,") },
                      "the new stroke's row carries evidence")
        app.handle(.key(.char("c")))
        XCTAssertTrue(coloured(AppFixture.surface(app), app).isEmpty, "a clear canvas has none")
    }

    func testMonochromeShowsPlusAndMinus() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        app.handle(.key(.char("w")))
        let s = AppFixture.surface(app, color: false)
        let r = app.layout.canvas
        let canvasText = (r.y + 1..<r.maxY - 1).map { String(s.lines[$0].unicodeScalars.dropFirst(r.x + 1).prefix(Canvas.size * 2)) }.joined()
        XCTAssertTrue(canvasText.contains("+"), canvasText)
        XCTAssertTrue(canvasText.contains("−"), canvasText)
        XCTAssertTrue(s.lines[r.y].contains("why: + for"), s.lines[r.y])
    }

    func testCompactLayoutAt80x24() throws {
        let app = try AppFixture.app(width: 80, height: 24)
        // Half blocks: one column per pixel, two pixels per row.
        drag(app, (0..<14).map { (7 + $0, 4) })
        drag(app, (0..<10).map { (20 - $0, 4 + $0) })
        app.handle(.key(.char("w")))
        var s = AppFixture.surface(app)
        let r = app.layout.canvas
        var colouredHalves = 0
        for row in 0..<(Canvas.size / 2) { for x in 0..<Canvas.size {
            let st = s[r.x + 1 + x, r.y + 1 + row].style
            if evidenceColours.contains(st.fg) { colouredHalves += 1 }
            if evidenceColours.contains(st.bg) { colouredHalves += 1 }
        } }
        XCTAssertGreaterThan(colouredHalves, 10)
        XCTAssertTrue(s.lines[r.y].contains("why"), s.lines[r.y])
        s = AppFixture.surface(app, color: false)
        let text = (r.y + 1..<r.maxY - 1).map { String(s.lines[$0].unicodeScalars.dropFirst(r.x + 1).prefix(Canvas.size)) }.joined()
        XCTAssertTrue(text.contains("+") || text.contains("−"), text)
        // Nothing else of the screen broke: the footer still ends with quit.
        XCTAssertTrue(s.lines[23].contains("quit"), s.lines[23])
    }

    /// A bias-free ReLU/max-pool network is positively homogeneous: gradient × input
    /// sums exactly to the margin it explains (Euler), so the overlay accounts for all of it.
    func testEvidenceAddsUpToTheMarginItExplains() throws {
        let net = try Network(spec: "in28x28x1-conv4k3-relu-pool2-conv6k3-relu-pool2-flatten-dense10")
        var rng = RNG(seed: 3)
        net.initialize(rng: &rng)   // biases are zero
        var canvas = Canvas()
        canvas.begin(at: 8, 6, erase: false); canvas.extend(to: 20, 6, erase: false); canvas.extend(to: 12, 24, erase: false); canvas.end()
        let input = try XCTUnwrap(DrawingInput.prepare(canvas))
        let (logits, e) = try XCTUnwrap(Evidence.of(net, input: input.pixels))
        XCTAssertEqual(Evidence.topTwo(logits).top, e.top)
        XCTAssertEqual(logits.indices.max { logits[$0] < logits[$1] }, e.top)
        XCTAssertEqual(Double(e.values.reduce(0, +)), Double(logits[e.top] - logits[e.runnerUp]), accuracy: 1e-3)
    }

    func testTopTwo() {
        XCTAssertEqual(Evidence.topTwo([0, 3, 1, 2]).top, 1)
        XCTAssertEqual(Evidence.topTwo([0, 3, 1, 2]).runnerUp, 3)
        XCTAssertEqual(Evidence.topTwo([5, 1]).runnerUp, 1)
        XCTAssertEqual(Evidence.topTwo([1, 5, 9]).runnerUp, 1)
    }
}
