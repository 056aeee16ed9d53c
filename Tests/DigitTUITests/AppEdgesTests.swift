import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// Issue 11: the command table and the app's sharp edges, on a Surface.
final class AppEdgesTests: XCTestCase {
    func makeApp(_ spec: String = AppFixture.spec) throws -> App { try AppFixture.app(spec) }
    func render(_ app: App, color: Bool = true) -> [String] { AppFixture.surface(app, color: color).lines }

    func press(_ app: App, _ col: Int, _ row: Int) { app.handle(.mouse(column: col, row: row, button: .left, action: .press)) }
    func dragTo(_ app: App, _ col: Int, _ row: Int) { app.handle(.mouse(column: col, row: row, button: .left, action: .drag)) }
    func release(_ app: App, _ col: Int, _ row: Int) { app.handle(.mouse(column: col, row: row, button: .left, action: .release)) }

    // MARK: the command table

    func testEveryKeyIsBoundOnceAndEveryRowSaysWhatItDoes() {
        var seen: [Key] = []
        for c in Command.table {
            XCTAssertFalse(c.keys.isEmpty, c.name)
            XCTAssertFalse(c.help.isEmpty, c.name)
            for k in c.keys {
                XCTAssertFalse(seen.contains(k), "\(k.label) is bound twice")
                seen.append(k)
            }
        }
        XCTAssertEqual(Command.menu.map(\.name), ["Help", "Retrain…", "Evaluate on the test set", "Load weights…", "Save weights as…", "Model summary",
                                                "Teach", "Back to the shipped model", "Label…", "Undo the last sample", "Quit"])
    }

    func testHelpMenuAndFooterComeFromTheTable() throws {
        let app = try makeApp()
        app.handle(.key(.function(1)))
        // The help scrolls when it is longer than the screen: read it page by page.
        var help = render(app).joined(separator: "\n")
        for _ in 0..<6 { app.handle(.key(.pageDown)); help += render(app).joined(separator: "\n") }
        for c in Command.table { XCTAssertTrue(help.contains(c.keyLabel), "the help lists \(c.keyLabel)") }
        app.handle(.key(.escape))
        app.handle(.key(.char("m")))
        let menu = render(app).joined(separator: "\n")
        for c in Command.menu { XCTAssertTrue(menu.contains(c.name), "the menu lists \(c.name)") }
        app.handle(.key(.escape))
        let footer = render(app).last!
        XCTAssertTrue(footer.hasPrefix("F1 help  F2 retrain  F3 eval  F4 load  F5 save  F6 summary  F7 teach  m menu  L label  Tab layer  q quit"), footer)
        XCTAssertFalse(footer.contains("keep"), "keep/discard only after a training run")
    }

    func testAKeyThatIsNotAvailableSaysWhy() throws {
        let app = try makeApp()
        app.handle(.key(.char("t")))
        XCTAssertEqual(app.notice?.text, "t: no training is running (F2 starts one)")
        app.handle(.key(.char("x")))
        XCTAssertEqual(app.notice?.text, "x does nothing here; F1 lists the keys")
    }

    // MARK: 1. channel pages

    func testChannelPagesStopAtTheLastPage() throws {
        let app = try makeApp("in28x28x1-conv64k3-relu-pool2-flatten-dense10")
        let pages = app.channelPages
        XCTAssertGreaterThan(pages, 1)
        for _ in 0..<(pages + 3) { app.handle(.key(.pageDown)) }
        XCTAssertEqual(app.channelPage, pages - 1, "PgDn past the last page is not banked")
        app.handle(.key(.pageUp))
        XCTAssertEqual(app.channelPage, pages - 2, "one PgUp goes back one page at once")
        for _ in 0..<pages { app.handle(.key(.pageUp)) }
        XCTAssertEqual(app.channelPage, 0)
    }

    func testWheelPagesChannels() throws {
        let app = try makeApp("in28x28x1-conv64k3-relu-pool2-flatten-dense10")
        app.handle(.mouse(column: 90, row: 30, button: .wheelDown, action: .press))
        XCTAssertEqual(app.channelPage, 1)
        app.handle(.mouse(column: 90, row: 30, button: .wheelUp, action: .press))
        XCTAssertEqual(app.channelPage, 0)
        XCTAssertTrue(app.canvas.isEmpty, "the wheel draws nothing")
    }

    // MARK: 2. a drag that leaves the canvas

    func testADragThatLeavesTheCanvasInksNothingAlongTheEdge() throws {
        let app = try makeApp()
        // Canvas pixels start at column 1, row 2; the right border is column 57, the bottom row 30.
        press(app, 30, 10)
        for c in stride(from: 32, through: 80, by: 4) { dragTo(app, c, 10) }       // out to the right
        for r in stride(from: 12, through: 38, by: 2) { dragTo(app, 80, r) }       // and down, outside
        release(app, 80, 38)
        XCTAssertGreaterThan(app.canvas[27, 8], 0.5, "the stroke reaches the border where it left")
        for y in 12..<28 { XCTAssertEqual(app.canvas[27, y], 0, "no ink along the right edge at y=\(y)") }
        // Back in: the stroke continues from where it re-enters, in the same undo step.
        press(app, 10, 20)
        for c in stride(from: 8, through: -10, by: -3) { dragTo(app, c, 20) }      // out to the left
        dragTo(app, -10, 25); dragTo(app, 10, 25)                                   // back in lower down
        release(app, 20, 25)
        XCTAssertGreaterThan(app.canvas[9, 23], 0.5, "ink after re-entering")
        XCTAssertEqual(app.canvas[0, 21], 0, "nothing drawn along the left edge while outside")
        app.handle(.key(.char("u")))
        XCTAssertEqual(app.canvas[9, 23], 0, "one undo takes back the whole stroke")
        XCTAssertEqual(app.canvas[4, 18], 0)
        XCTAssertGreaterThan(app.canvas[27, 8], 0.5)
    }

    func testSegmentClipping() {
        XCTAssertNil(clipToCanvas((-5, -5), (-1, 40)))
        let c = clipToCanvas((14, 14), (42, 14))!
        XCTAssertEqual(c.enter, 0); XCTAssertEqual(c.leave, 0.5, accuracy: 1e-6)
        let through = clipToCanvas((-14, 14), (42, 14))!
        XCTAssertEqual(through.enter, 0.25, accuracy: 1e-6); XCTAssertEqual(through.leave, 0.75, accuracy: 1e-6)
    }

    // MARK: 5, 6. saving

    func testSaveAsksBeforeReplacingAFileAndShowsTheDirectory() throws {
        let app = try makeApp()
        let dir = NSTemporaryDirectory() + "digits-save-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.safetensors"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        app.handle(.key(.function(5)))
        XCTAssertTrue(render(app).joined().contains("a relative name is saved in \(FileManager.default.currentDirectoryPath)"))
        app.handle(.key(.ctrl("u")))
        for ch in path { app.handle(.key(.char(ch))) }
        app.handle(.key(.enter))
        guard case .confirmOverwrite(path, false, _)? = app.overlay else { return XCTFail("the overwrite question expected, got \(String(describing: app.overlay))") }
        XCTAssertTrue(render(app).joined().contains("exists"))
        app.handle(.key(.char("n")))
        guard case let .form(form, .save)? = app.overlay else { return XCTFail("back to the form") }
        XCTAssertEqual(form.error, "not saved: the file exists; choose another name")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        app.handle(.key(.enter))
        app.handle(.key(.char("y")))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try WeightsFile.load(path).network.spec, app.model.network.spec)
    }

    func testTheShippedWeightsNeedYesTypedOut() throws {
        let app = try makeApp()
        let dir = NSTemporaryDirectory() + "digits-shipped-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shipped = dir + "/digitnet.safetensors"
        try "shipped".write(toFile: shipped, atomically: false, encoding: .utf8)
        app.shippedWeights = [shipped]
        func saveOver(_ answer: [Key]) {
            app.handle(.key(.function(5)))
            app.handle(.key(.ctrl("u")))
            for ch in dir + "/./digitnet.safetensors" { app.handle(.key(.char(ch))) }
            app.handle(.key(.enter))
            guard case .confirmOverwrite(_, true, _)? = app.overlay else { return XCTFail("the shipped-weights question expected") }
            XCTAssertTrue(render(app).joined().contains("Type yes"))
            for k in answer { app.handle(.key(k)) }
        }
        saveOver([.char("y"), .enter])
        XCTAssertEqual(try String(contentsOfFile: shipped, encoding: .utf8), "shipped", "y alone does not replace the shipped weights")
        app.overlay = nil
        saveOver([.char("y"), .char("e"), .char("s"), .enter])
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try WeightsFile.load(shipped).network.spec, app.model.network.spec)
    }

    func testLongErrorsWrapInsteadOfBeingCut() throws {
        let app = try makeApp()
        var form = Form(title: "Save weights as", fields: [.init(label: "file", kind: .text, value: "x")], submitLabel: "Enter")
        let message = "/some/rather/long/directory/name/that/goes/on/m.safetensors: cannot write: Read-only file system"
        form.error = message
        app.overlay = .form(form, .save)
        let screen = render(app).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(screen.contains("Read-only file system"), screen)
    }

    func testSavingWhereNoFileCanBeMadeSaysWhy() throws {
        XCTAssertThrowsError(try AtomicFile.write("x", to: "/proc/digits-test.safetensors")) {
            XCTAssertTrue("\($0)".contains("no new file can be made in /proc: its file system refuses them"), "\($0)")
        }
        XCTAssertThrowsError(try AtomicFile.write("x", to: "/no/such/dir/m.safetensors")) {
            XCTAssertTrue("\($0)".contains("directory /no/such/dir does not exist"), "\($0)")
        }
    }

    // MARK: 7. help, footer clicks

    func testF1ClosesTheHelpAndFooterItemsClick() throws {
        let app = try makeApp()
        app.handle(.key(.function(1)))
        guard case .message("Help", _)? = app.overlay else { return XCTFail("help expected") }
        app.handle(.key(.function(1)))
        XCTAssertNil(app.overlay, "F1 closes the help")
        // Click "F6 summary" in the footer.
        let footer = render(app).last!
        let col = footer.range(of: "F6 summary").map { footer.distance(from: footer.startIndex, to: $0.lowerBound) }!
        app.handle(.mouse(column: col + 3, row: 39, button: .left, action: .press))
        guard case .message("Model summary", _)? = app.overlay else { return XCTFail("a click on F6 opens the summary") }
        // Another command's key closes the message and runs that command.
        app.handle(.key(.function(1)))
        guard case .message("Help", _)? = app.overlay else { return XCTFail("F1 over the summary opens the help") }
        // Over a form, a click on "q quit" is not typed into the form.
        app.handle(.key(.function(1)))
        app.handle(.key(.function(4)))
        let q = footer.range(of: "q quit").map { footer.distance(from: footer.startIndex, to: $0.lowerBound) }!
        app.handle(.mouse(column: q, row: 39, button: .left, action: .press))
        guard case let .form(form, .load)? = app.overlay else { return XCTFail("the load form stays") }
        XCTAssertEqual(form.value("file"), "")
        XCTAssertFalse(app.quit)
    }

    /// A help longer than the window scrolls, within its lines, and says so.
    func testALongMessageScrollsWithinItsLines() throws {
        let app = try makeApp()
        app.handle(.resize(width: 90, height: 32))
        app.handle(.key(.function(1)))
        let first = render(app).joined(separator: "\n")
        XCTAssertTrue(first.contains("↑↓ PgUp PgDn: 1–"), first)
        XCTAssertFalse(first.contains("normalisation: cropped"), "the last line is below the fold")
        for _ in 0..<100 { app.handle(.key(.down)) }
        let end = render(app).joined(separator: "\n")
        XCTAssertTrue(end.contains("normalisation: cropped"), end)
        app.handle(.key(.up))
        XCTAssertFalse(render(app).joined().contains("normalisation: cropped"), "one ↑ after scrolling past the end moves at once")
        app.handle(.mouse(column: 45, row: 15, button: .wheelDown, action: .press))
        XCTAssertTrue(render(app).joined().contains("normalisation: cropped"), "the wheel scrolls it too")
        app.handle(.resize(width: 120, height: 60))
        app.handle(.resize(width: 90, height: 32))
        XCTAssertFalse(render(app).joined().contains("normalisation: cropped"), "a window tall enough for all of it scrolled it to the top")
    }

    // MARK: 8. quitting

    func testQuitWithADrawingDoesNotAsk() throws {
        let app = try makeApp()
        press(app, 20, 10); dragTo(app, 30, 20); release(app, 30, 20)
        app.handle(.key(.char("q")))
        XCTAssertTrue(app.quit)
        let app2 = try makeApp()
        app2.handle(.key(.ctrl("\\")))
        XCTAssertTrue(app2.quit, "Ctrl-\\, the terminal's quit key, quits")
    }

    // MARK: 9. the keyboard cursor

    func testTheMouseTakesOverFromTheKeyboardCursor() throws {
        let app = try makeApp()
        app.handle(.key(.left))
        XCTAssertTrue(render(app).joined().contains("[]"))
        press(app, 10, 10); dragTo(app, 20, 10); release(app, 20, 10)
        XCTAssertFalse(render(app).joined().contains("[]"), "the keyboard cursor is not left over the ink")
    }

    // MARK: 10. titles

    func testTitlesDropWholePartsAndOneLayerOffersNoTab() throws {
        XCTAssertEqual(fitParts(["training seed003", "1 epoch", "Esc: cancel", "t: feature maps"], 40), "training seed003 · 1 epoch · Esc: cancel")
        XCTAssertEqual(fitParts(["a long first part"], 8), "a long …")
        let app = try makeApp("in28x28x1-conv8k3-relu-pool2-flatten-dense10")
        press(app, 20, 10); dragTo(app, 30, 20); release(app, 30, 20)
        let screen = render(app).joined(separator: "\n")
        XCTAssertTrue(screen.contains("conv1 (1/1)"), screen)
        XCTAssertFalse(screen.contains("Tab: next layer"), "one layer: no Tab")
        XCTAssertFalse(render(app).last!.contains("Tab layer"), "nor in the footer")
    }

    func testHintsBreakOnlyBetweenItems() {
        XCTAssertEqual(pack(["keys:", "arrows h j k l move", "Space Enter pen", "[ ] brush"], 30),
                       ["keys: arrows h j k l move,", "Space Enter pen, [ ] brush"])
    }

    func testASpecWrapsAtDashes() throws {
        let spec = "in28x28x1-conv32k3-relu-conv32k3-relu-pool2-conv64k3-relu-conv64k3-relu-pool2-flatten-dense128-relu-drop0.5-dense10"
        let lines = wrap("digitnet: " + spec, 40)
        XCTAssertEqual(lines.joined(), "digitnet:" + spec)
        for l in lines.dropFirst().dropLast() { XCTAssertTrue(l.hasSuffix("-"), "broken after a dash: \(lines)") }
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 }, "\(lines)")
        let app = try makeApp(spec)
        app.handle(.resize(width: 90, height: 32))
        app.handle(.key(.function(6)))
        let screen = render(app).joined(separator: "\n")
        for token in spec.split(separator: "-") { XCTAssertTrue(screen.contains(token), "\(token) whole in:\n\(screen)") }
    }

    // MARK: 11. the brush

    func testBrushPreviewAndThickBrushWarning() throws {
        let app = try makeApp()
        XCTAssertFalse(render(app).joined().contains("··"))
        app.handle(.key(.char("]")))
        XCTAssertTrue(render(app).joined().contains("··"), "the brush's outline is shown after a size change")
        XCTAssertFalse(render(app).joined().contains("thicker than the model reads well"))
        for _ in 0..<10 { app.handle(.key(.char("]"))) }
        XCTAssertTrue(render(app).joined().contains("brush 6.00 px · thicker than the model reads well"))
        func canvasText() -> String { render(app)[2..<30].map { String($0.prefix(58)) }.joined() }
        press(app, 20, 10); release(app, 20, 10)
        XCTAssertFalse(canvasText().contains("··"), "a stroke puts the preview away")
    }
}
