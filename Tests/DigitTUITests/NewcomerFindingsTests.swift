import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// What a newcomer found trying the app in tmux, each checked on a Surface.
final class NewcomerFindingsTests: XCTestCase {
    func render(_ app: App) -> [String] { AppFixture.surface(app).lines }
    func screen(_ app: App) -> String { render(app).joined(separator: "\n") }

    func drawStroke(_ app: App) {
        app.handle(.mouse(column: 20, row: 10, button: .left, action: .press))
        app.handle(.mouse(column: 30, row: 20, button: .none, action: .drag))
        app.handle(.mouse(column: 30, row: 20, button: .none, action: .release))
    }

    // 1. Loading a file would replace an unsaved trained model: it asks first.
    func testLoadAsksBeforeLosingAnUnsavedModel() throws {
        func isLoadForm(_ app: App) -> Bool { if case .form(_, .load)? = app.overlay { return true } else { return false } }
        func isSaveForm(_ app: App) -> Bool { if case .form(_, .save)? = app.overlay { return true } else { return false } }
        let app = try AppFixture.app()
        app.handle(.key(.function(4)))
        XCTAssertTrue(isLoadForm(app), "nothing to lose: the form opens at once")
        app.handle(.key(.escape))

        app.unsavedModel = true
        app.handle(.key(.function(4)))
        XCTAssertFalse(isLoadForm(app), "the question comes first")
        let text = screen(app)
        XCTAssertTrue(text.contains("not saved"), text)
        XCTAssertTrue(text.contains("load anyway"), text)
        XCTAssertTrue(text.contains("save the model"), text)
        app.handle(.key(.escape))
        XCTAssertNil(app.overlay, "Esc stays")
        XCTAssertTrue(app.unsavedModel)

        app.handle(.key(.char("o")))
        app.handle(.key(.char("l")))
        XCTAssertTrue(isLoadForm(app), "l loads anyway")
        app.handle(.key(.escape))

        app.handle(.key(.function(4)))
        app.handle(.key(.char("s")))
        XCTAssertTrue(isSaveForm(app), "s saves the model first")
    }

    // 2. The confusion matrix's headers stand over their columns; 10,000 has its comma.
    func evaluation(_ app: App, images n: Int) -> Evaluation {
        var images: [Float] = []
        for i in 0..<n { images += (0..<784).map { Float(($0 * 7 + i * 13) % 256) / 255 } }
        let data = LabeledImages(shape: Shape(28, 28, 1), images: images, labels: (0..<n).map { Int32($0 % 10) })
        return Evaluation(network: app.model.network, data: data)
    }

    func testConfusionHeadersStandOverTheirColumns() throws {
        let app = try AppFixture.app()
        app.showEvaluation(evaluation(app, images: 40))
        let screenLines = render(app)
        guard let at = screenLines.firstIndex(where: { $0.contains("confusion (rows") }) else { return XCTFail("no matrix") }
        // The message's text: from the column "confusion" starts at to the box's right edge.
        let start = screenLines[at].distance(from: screenLines[at].startIndex, to: screenLines[at].range(of: "confusion")!.lowerBound)
        func text(_ row: Int) -> [Character] { Array(Array(screenLines[row]).dropFirst(start).prefix { $0 != "│" }) }
        func ends(_ chars: [Character]) -> [Int] {
            chars.indices.filter { chars[$0].isNumber && ($0 + 1 == chars.count || !chars[$0 + 1].isNumber) }
        }
        let header = text(at + 1)
        XCTAssertEqual(ends(header).count, 10, String(header))
        for row in (at + 2)..<(at + 12) {
            // Each count ends under its digit's header (the first number is the row label).
            XCTAssertEqual(Array(ends(text(row)).dropFirst()), ends(header), "\(String(text(row)))\n\(String(header))")
        }
        XCTAssertTrue(screenLines.joined().contains("on 40 MNIST test images"))
    }

    func testTheTestSetSizeHasItsThousandsSeparator() throws {
        let app = try AppFixture.app("in28x28x1-flatten-dense10")
        let e = evaluation(app, images: 10_000)
        XCTAssertEqual(App.evaluationLines(name: "m", e)[0], "m on 10,000 MNIST test images")
    }

    // 3. The "too small" screen says only q works: so it is.
    func testOnlyQuitActsWhileTheWindowIsTooSmall() throws {
        let app = try AppFixture.app()
        drawStroke(app)
        XCTAssertFalse(app.canvas.isEmpty)
        app.handle(.resize(width: 60, height: 20))
        XCTAssertTrue(screen(app).contains("press q to quit"))
        for key: Key in [.char("c"), .char("u"), .function(2), .enter, .char("e"), .function(4), .char("m"), .char(" "), .char("p")] {
            app.handle(.key(key))
        }
        XCTAssertFalse(app.canvas.isEmpty, "c and u did nothing")
        XCTAssertNil(app.overlay, "no form or menu opened unseen")
        XCTAssertNil(app.training)
        XCTAssertFalse(app.eraser)
        XCTAssertFalse(app.penDown)
        XCTAssertNil(app.notice, "no notice for a screen that cannot show it")
        app.handle(.key(.char("q")))
        XCTAssertTrue(app.quit)
    }

    // 8. The mouse hint says what the buttons do now.
    func testTheMouseHintFollowsTheEraser() throws {
        let app = try AppFixture.app()
        XCTAssertTrue(screen(app).contains("mouse: left draws, right erases"))
        app.handle(.key(.char("e")))
        let text = screen(app)
        XCTAssertFalse(text.contains("left draws"), text)
        XCTAssertTrue(text.contains("mouse: both buttons erase"), text)
    }

    // 9. A form's hints name only what its fields have.
    func testFormHintsNameOnlyWhatTheFieldsHave() throws {
        let app = try AppFixture.app()
        for key: Key in [.function(4), .function(5)] {
            app.handle(.key(key))
            let text = screen(app)
            XCTAssertFalse(text.contains("fields"), text)
            XCTAssertFalse(text.contains("choices"), text)
            app.handle(.key(.escape))
        }
        app.handle(.key(.function(2)))
        let text = screen(app)
        XCTAssertTrue(text.contains("↑↓ fields · ←→ choices"), text)
    }

    // 10. A click on a menu row runs it; a click outside closes the menu.
    func testMenuRowsClick() throws {
        let app = try AppFixture.app()
        app.handle(.key(.char("m")))
        let lines = render(app)
        guard let row = lines.firstIndex(where: { $0.contains("Model summary") }) else { return XCTFail("no menu") }
        let col = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: "Model summary")!.lowerBound)
        app.handle(.mouse(column: col + 2, row: row, button: .left, action: .press))
        app.handle(.mouse(column: col + 2, row: row, button: .none, action: .release))
        guard case let .message(title, _)? = app.overlay else { return XCTFail("the summary did not open: \(String(describing: app.overlay))") }
        XCTAssertEqual(title, "Model summary")
        app.handle(.key(.escape))

        app.handle(.key(.char("m")))
        app.handle(.mouse(column: 2, row: 5, button: .left, action: .press))
        XCTAssertNil(app.overlay, "a click outside closes the menu")
        XCTAssertTrue(app.canvas.isEmpty, "and does not draw")
    }
}

extension NewcomerFindingsTests {
    // 7. The help's descriptions start in one column, wrapped ones too.
    func testHelpDescriptionsKeepTheirColumn() throws {
        for (w, h) in [(120, 40), (80, 24)] {
            let app = try AppFixture.app(width: w, height: h)
            app.handle(.key(.function(1)))
            guard case let .message(_, text)? = app.overlay else { return XCTFail("no help") }
            let box = MessageBox(text, screenWidth: w, screenHeight: h)
            let x = max(0, (w - box.width) / 2) + 2, y = max(0, (h - box.visible - 4) / 2) + 2
            var byLine: [Int: String] = [:]
            // Scroll through the whole help, collecting its text rows by line.
            while true {
                let lines = render(app)
                for i in 0..<box.visible { byLine[app.messageScroll + i] = String(Array(lines[y + i]).dropFirst(x).prefix(box.width - 4)) }
                if app.messageScroll == box.lastScroll { break }
                app.handle(.key(.pageDown))
            }
            let seen = byLine.keys.sorted().map { byLine[$0]! }
            XCTAssertEqual(seen.count, box.lines.count)
            func column(_ keys: String, _ help: String) -> Int? {
                guard let row = seen.first(where: { $0.contains(keys) && $0.contains(help) }) else { return nil }
                return row.distance(from: row.startIndex, to: row.range(of: help)!.lowerBound)
            }
            let retrain = try XCTUnwrap(column("F2 r", "retrain"), "\(w)×\(h)")
            XCTAssertEqual(column("q F10 Ctrl-C/D/\\", "quit ("), retrain, "\(w)×\(h): the quit row's description is in the column")
            // In the keys' rows, a row that does not start with a command's keys is a
            // wrapped description: it starts in the description column.
            let first = try XCTUnwrap(seen.firstIndex { $0.hasPrefix("arrows") })
            let last = try XCTUnwrap(seen.lastIndex { $0.hasPrefix("q F10") })
            for row in seen[first...last] where !Command.table.contains(where: { row.hasPrefix($0.keyLabel + " ") }) {
                XCTAssertEqual(row.prefix { $0 == " " }.count, retrain, "\(w)×\(h): \(row)")
            }
        }
    }
}

extension NewcomerFindingsTests {
    // 4. A notice shows whole, in the full layout's two info rows too.
    func testALongNoticeShowsWhole() throws {
        let dir = NSTemporaryDirectory() + "digits-notice-\(UUID().uuidString)-a-long-directory-name-for-the-path"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cwd = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd); try? FileManager.default.removeItem(atPath: dir) }
        for (w, h) in [(90, 34), (80, 24), (120, 40)] {
            let app = try AppFixture.app(width: w, height: h)
            drawStroke(app)
            app.handle(.key(.char("p")))
            let notice = try XCTUnwrap(app.notice?.text)
            XCTAssertTrue(notice.hasPrefix("saved the drawing as /"), notice)
            // Every word of it is on the screen, the path's pieces included.
            let text = render(app).joined(separator: "\n")
            let pieces = notice.split { $0 == " " || $0 == "/" || $0 == "-" }.map(String.init)
            for piece in pieces { XCTAssertTrue(text.contains(piece), "\(w)×\(h): \(piece) is not shown:\n\(text)") }
        }
    }
}

extension NewcomerFindingsTests {
    // 3. A quit that would lose a model asks on the too-small screen itself.
    func testTheTooSmallScreenAsksBeforeLosingAModel() throws {
        let app = try AppFixture.app()
        app.unsavedModel = true
        app.handle(.resize(width: 60, height: 20))
        app.handle(.key(.char("q")))
        XCTAssertFalse(app.quit)
        let text = screen(app)
        XCTAssertTrue(text.contains("not saved") && text.contains("q again quits"), text)
        app.handle(.key(.char("c")))
        XCTAssertFalse(app.quit)
        app.handle(.key(.char("q")))
        XCTAssertTrue(app.quit)
    }

    // 1. s in the load question saves the model, then the load form opens.
    func testSavingFromTheLoadQuestionThenOpensTheLoadForm() throws {
        let dir = NSTemporaryDirectory() + "digits-load-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cwd = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd); try? FileManager.default.removeItem(atPath: dir) }
        let app = try AppFixture.app()
        app.unsavedModel = true
        app.handle(.key(.function(4)))
        app.handle(.key(.char("s")))
        app.handle(.key(.enter))
        XCTAssertFalse(app.unsavedModel, "saved")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".safetensors") }.count, 1)
        guard case .form(_, .load)? = app.overlay else { return XCTFail("the load form did not follow: \(String(describing: app.overlay))") }
        XCTAssertFalse(app.quit)
    }
}
