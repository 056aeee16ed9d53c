import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// Exploring the network: a click on a tile enlarges it, a click on a unit
/// lights the canvas region it sees (of the right size and place), its kernel
/// shows; per-channel colours (a), the dense view (d); Esc closes.
final class NetworkExplorerTests: XCTestCase {
    func drag(_ app: App, _ cells: [(Int, Int)]) {
        app.handle(.mouse(column: cells[0].0, row: cells[0].1, button: .left, action: .press))
        for c in cells.dropFirst() { app.handle(.mouse(column: c.0, row: c.1, button: .none, action: .drag)) }
        app.handle(.mouse(column: cells.last!.0, row: cells.last!.1, button: .none, action: .release))
    }

    func click(_ app: App, _ col: Int, _ row: Int) {
        app.handle(.mouse(column: col, row: row, button: .left, action: .press))
        app.handle(.mouse(column: col, row: row, button: .left, action: .release))
    }

    /// A 7 at 120×40, drawn smaller than the frame's 20 px so that the crop is scaled.
    func drawSeven(_ app: App) {
        drag(app, (0..<10).map { (17 + $0 * 4, 8) })
        drag(app, (0..<12).map { (53 - $0 * 2, 8 + $0) })
    }

    /// Clicks the tile of `channel` (on the first page) in the feature-map panel.
    func clickTile(_ app: App, _ channel: Int) throws {
        let shape = try XCTUnwrap(app.selectedMapShape)
        let grid = MapGrid(height: shape.h, width: shape.w, channels: shape.c, panel: app.layout.lower)
        let (ox, oy) = grid.origin(channel)
        click(app, ox + 1, oy + 1)
    }

    func geometry(_ app: App) throws -> EnlargedMap {
        let shape = try XCTUnwrap(app.selectedMapShape)
        return EnlargedMap(height: shape.h, width: shape.w, panel: app.layout.lower)
    }

    /// The screen cell that shows unit (x, y) of the enlarged map.
    func cell(_ g: EnlargedMap, _ x: Int, _ y: Int) -> (Int, Int) {
        (g.area.x + x / g.downscale * g.unitColumns, g.area.y + (y / g.downscale * g.unitHalfRows) / 2)
    }

    let litColours: Set<Int16> = [229, 100]

    func testATileClickEnlargesItsChannel() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        _ = AppFixture.surface(app)
        try clickTile(app, 2)
        XCTAssertEqual(app.explorer.channel, 2)
        XCTAssertFalse(app.canvasChanged, "the click drew nothing")
        let s = AppFixture.surface(app)
        let title = s.lines[app.layout.lower.y]
        XCTAssertTrue(title.contains("conv1 channel 3 of 4"), title)
        XCTAssertTrue(s.lines.joined().contains("click a unit"))
        XCTAssertTrue(s.lines.joined().contains("kernel 3×3"), "conv1's kernel beside it")
        app.handle(.key(.escape))
        XCTAssertNil(app.explorer.channel, "Esc goes back to the tiles")
        XCTAssertTrue(AppFixture.surface(app).lines[app.layout.lower.y].contains("feature maps"))
    }

    func testAUnitClickLightsTheRegionItSees() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        _ = AppFixture.surface(app)
        try clickTile(app, 0)
        let g = try geometry(app)
        let (cx, cy) = cell(g, 10, 12)
        click(app, cx, cy)
        XCTAssertEqual(app.explorer.unit, Explorer.Unit(x: 10, y: 12))
        let s = AppFixture.surface(app)
        // conv1 is 3×3: the unit sees frame pixels 10…12 × 12…14, which came
        // from the canvas through the normaliser's crop, scale and shift.
        let placement = try XCTUnwrap(app.reading?.placement)
        let expected = try XCTUnwrap(placement.sourceRect(ofFrame: (10, 12, 3, 3), sourceWidth: 28, sourceHeight: 28))
        let scale = Float(placement.box.width) / Float(placement.placed.width)
        XCTAssertEqual(Float(expected.width), 3 * scale, accuracy: 1, "3 frame pixels are about \(3 * scale) canvas pixels")
        let r = app.layout.canvas
        var lit: [(Int, Int)] = []
        for y in 0..<Canvas.size { for x in 0..<Canvas.size where litColours.contains(s[r.x + 1 + x * 2, r.y + 1 + y].style.bg) { lit.append((x, y)) } }
        XCTAssertEqual(lit.count, expected.width * expected.height, "\(lit)")
        XCTAssertEqual(lit.map(\.0).min(), expected.x); XCTAssertEqual(lit.map(\.1).min(), expected.y)
        XCTAssertEqual(lit.map(\.0).max(), expected.x + expected.width - 1); XCTAssertEqual(lit.map(\.1).max(), expected.y + expected.height - 1)
        // And on "network sees": frame columns 10…12, rows 12…14 (half blocks: rows 6 and 7).
        let sees = try XCTUnwrap(app.layout.sees)
        for x in 9...13 {
            let top = s[sees.x + 1 + x, sees.y + 1 + 6].style, next = s[sees.x + 1 + x, sees.y + 1 + 7].style
            let inside = (10...12).contains(x)
            XCTAssertEqual(litColours.contains(top.fg) && litColours.contains(top.bg), inside, "sees column \(x), rows 12–13")
            XCTAssertEqual(litColours.contains(next.fg), inside, "sees column \(x), row 14")
            XCTAssertFalse(litColours.contains(next.bg), "row 15 is outside")
        }
        // The same click puts it out; a click beside the map goes back to the tiles.
        click(app, cx, cy)
        XCTAssertNil(app.explorer.unit)
        XCTAssertEqual(app.explorer.channel, 0)
        click(app, g.kernelArea.x + 1, g.kernelArea.maxY - 1)
        XCTAssertNil(app.explorer.channel)
    }

    func testADeeperUnitSeesMoreAndItsKernelShowsTheStrongestInputs() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        app.handle(.key(.tab))   // conv2: after conv 3×3, pool 2 and conv 3×3, a unit sees 8×8 frame pixels
        _ = AppFixture.surface(app)
        try clickTile(app, 1)
        let g = try geometry(app)
        XCTAssertGreaterThanOrEqual(g.unitColumns, 2, "an 11×11 map is shown larger")
        let (cx, cy) = cell(g, 3, 4)
        click(app, cx, cy)
        let field = try XCTUnwrap(app.litField)
        XCTAssertEqual(field.input, ReceptiveField(x: 6, y: 8, width: 8, height: 8))
        let s = AppFixture.surface(app)
        XCTAssertTrue(s.lines.joined().contains("strongest 4 of 4"), s.lines.joined(separator: "\n"))
    }

    func testClicksOutsideAnythingAreHarmless() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        _ = AppFixture.surface(app)
        // What the input parser can give: −1 … 999,999 (InputParser caps the numbers).
        for (c, r) in [(-1, 20), (1000, 20), (70, -1), (70, 10_000), (999_999, 999_999)] { click(app, c, r) }
        XCTAssertNil(app.explorer.channel)
        try clickTile(app, 0)
        for (c, r) in [(-1, 20), (1000, 20), (70, 10_000), (-1, 999_999)] {
            click(app, c, r)
            _ = AppFixture.surface(app)
        }
        XCTAssertEqual(app.explorer.channel, 0, "clicks off the panel leave it")
        XCTAssertNil(app.explorer.unit)
        // Clearing the canvas leaves nothing to light, and nothing breaks.
        let (cx, cy) = cell(try geometry(app), 2, 2)
        click(app, cx, cy)
        XCTAssertNotNil(app.litField)
        app.handle(.key(.char("c")))
        _ = AppFixture.surface(app)
        XCTAssertNil(app.litField)
    }

    func testPerChannelColours() throws {
        let app = try AppFixture.app()
        drawSeven(app)
        let shared = AppFixture.surface(app)
        app.handle(.key(.char("a")))
        let own = AppFixture.surface(app)
        let lower = app.layout.lower
        XCTAssertTrue(own.lines[lower.y + 2].contains("each channel low"), own.lines[lower.y + 2])
        let styles = { (s: Surface) in (lower.y..<lower.maxY).flatMap { y in (lower.x..<lower.maxX).map { s[$0, y].style } } }
        XCTAssertNotEqual(styles(shared), styles(own))
        app.handle(.key(.char("a")))
        XCTAssertEqual(styles(AppFixture.surface(app)), styles(shared))
    }

    func testTheDenseView() throws {
        let app = try AppFixture.app("in28x28x1-conv4k3-relu-pool2-flatten-dense16-relu-drop0.5-dense10")
        app.handle(.key(.char("d")))
        XCTAssertTrue(AppFixture.surface(app).lines.joined().contains("draw a digit to see the last layers"))
        drawSeven(app)
        let s = AppFixture.surface(app)
        let lower = app.layout.lower
        XCTAssertTrue(s.lines[lower.y].contains("fc1 · relu2: 16 values → logits"), s.lines[lower.y])
        XCTAssertTrue(s.lines[lower.y + 1].contains("logits"))
        let dense = try XCTUnwrap(app.reading?.dense)
        XCTAssertEqual(dense.hidden.count, 16)
        let top = try XCTUnwrap(app.reading?.top)
        XCTAssertTrue(s.lines[lower.y + 2].contains("\(top)  "), "the largest logit first: \(s.lines[lower.y + 2])")
        app.handle(.key(.escape))
        XCTAssertTrue(AppFixture.surface(app).lines[lower.y].contains("feature maps"))
    }

    func testCompactLayoutAt80x24() throws {
        let app = try AppFixture.app(width: 80, height: 24)
        drag(app, (0..<12).map { (8 + $0, 4) })
        drag(app, (0..<9).map { (19 - $0, 4 + $0) })
        _ = AppFixture.surface(app)
        try clickTile(app, 1)
        XCTAssertEqual(app.explorer.channel, 1)
        let g = try geometry(app)
        let (cx, cy) = cell(g, 12, 12)
        click(app, cx, cy)
        XCTAssertNotNil(app.explorer.unit)
        for color in [true, false] {
            let s = AppFixture.surface(app, color: color)
            XCTAssertEqual(s.lines.count, 24)
            XCTAssertTrue(s.lines[23].contains("quit"), s.lines[23])
            XCTAssertTrue(s.lines[app.layout.lower.y].contains("channel 2 of 4"), s.lines[app.layout.lower.y])
            // Nothing is drawn past the panel's box.
            XCTAssertEqual(s.lines[app.layout.lower.maxY - 1].unicodeScalars.last, "┘")
        }
        let s = AppFixture.surface(app)
        let r = app.layout.canvas
        var lit = 0
        for row in 0..<(Canvas.size / 2) { for x in 0..<Canvas.size {
            let st = s[r.x + 1 + x, r.y + 1 + row].style
            if litColours.contains(st.fg) { lit += 1 }
            if litColours.contains(st.bg) { lit += 1 }
        } }
        let f = try XCTUnwrap(app.litField?.canvas)
        XCTAssertEqual(lit, f.width * f.height, "every pixel of the field, in its half of the cell")
        app.handle(.key(.char("d")))
        XCTAssertTrue(AppFixture.surface(app).lines[23].contains("quit"))
    }
}
