import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// The app driven by events and rendered to a Surface: no terminal needed.
final class AppTests: XCTestCase {
    func makeApp(_ spec: String = AppFixture.spec) throws -> App { try AppFixture.app(spec) }
    func render(_ app: App, color: Bool = true) -> [String] { AppFixture.surface(app, color: color).lines }

    func drag(_ app: App, from: (Int, Int), to: (Int, Int), steps: Int = 10) {
        app.handle(.mouse(column: from.0, row: from.1, button: .left, action: .press))
        for i in 1...steps {
            app.handle(.mouse(column: from.0 + (to.0 - from.0) * i / steps, row: from.1 + (to.1 - from.1) * i / steps, button: .none, action: .drag))
        }
        app.handle(.mouse(column: to.0, row: to.1, button: .none, action: .release))
    }

    func testEmptyCanvasShowsNoGuess() throws {
        let app = try makeApp()
        let screen = render(app).joined(separator: "\n")
        XCTAssertTrue(screen.contains("draw a digit"))
        XCTAssertNil(app.reading)
        XCTAssertFalse(screen.contains("%  0"))
    }

    func testDrawingUpdatesBarsAndMapsOnEveryDrag() throws {
        let app = try makeApp()
        app.handle(.mouse(column: 20, row: 8, button: .left, action: .press))
        app.handle(.mouse(column: 20, row: 14, button: .none, action: .drag))
        app.update()
        let first = try XCTUnwrap(app.reading)
        XCTAssertEqual(first.probabilities.reduce(0, +), 1, accuracy: 1e-4)
        app.handle(.mouse(column: 40, row: 20, button: .none, action: .drag))   // still pressed: not yet released
        app.update()
        let second = try XCTUnwrap(app.reading)
        XCTAssertNotEqual(first.normalized, second.normalized, "the reading follows the stroke before release")
        XCTAssertEqual(second.maps.count, 2)
        XCTAssertEqual(second.maps[0].channels, 4)
        let screen = render(app).joined(separator: "\n")
        XCTAssertTrue(screen.contains("feature maps · conv1 (1/2)"), screen)
        XCTAssertFalse(screen.contains("draw a digit"))
    }

    func testTabCyclesConvLayers() throws {
        let app = try makeApp()
        drag(app, from: (20, 8), to: (30, 25))
        app.handle(.key(.tab))
        XCTAssertTrue(render(app).joined().contains("conv2 (2/2)"))
        app.handle(.key(.tab))
        XCTAssertTrue(render(app).joined().contains("conv1 (1/2)"))
        app.handle(.key(.backTab))
        XCTAssertTrue(render(app).joined().contains("conv2 (2/2)"))
    }

    func testKeyboardDrawingAndUndo() throws {
        let app = try makeApp()
        app.handle(.key(.char(" ")))
        for _ in 0..<8 { app.handle(.key(.down)) }
        app.handle(.key(.char(" ")))
        XCTAssertFalse(app.canvas.isEmpty)
        for y in 14...22 { XCTAssertEqual(app.canvas[14, y], 1, "keyboard stroke at y=\(y)") }
        app.handle(.key(.char("u")))
        XCTAssertTrue(app.canvas.isEmpty)
        app.handle(.key(.char("]")))
        XCTAssertGreaterThan(app.canvas.brushRadius, 1.4)
    }

    func testRightButtonErases() throws {
        let app = try makeApp()
        drag(app, from: (10, 15), to: (50, 15))
        app.handle(.mouse(column: 30, row: 15, button: .right, action: .press))
        app.handle(.mouse(column: 30, row: 15, button: .none, action: .release))
        XCTAssertEqual(app.canvas[14, 13], 0)
        XCTAssertEqual(app.canvas[5, 13], 1)
    }

    func testMouseOutsideCanvasAndInvalidCoordinatesAreHarmless() throws {
        let app = try makeApp()
        for (c, r) in [(-5, -5), (500, 3), (100, 100), (0, 0), (57, 31), (Int.max / 2, 2)] {
            app.handle(.mouse(column: c, row: r, button: .left, action: .press))
            app.handle(.mouse(column: c, row: r, button: .none, action: .drag))
            app.handle(.mouse(column: c, row: r, button: .none, action: .release))
        }
        XCTAssertTrue(app.canvas.isEmpty)
        _ = render(app)
    }

    func testTooSmallWindowSaysSo() throws {
        let app = try makeApp()
        app.handle(.resize(width: 60, height: 20))
        let screen = render(app).joined(separator: "\n")
        XCTAssertTrue(screen.contains("at least 80×24"), screen)
        XCTAssertTrue(screen.contains("this one is 60×20"))
        app.handle(.mouse(column: 5, row: 5, button: .left, action: .press))
        XCTAssertTrue(app.canvas.isEmpty, "no drawing into a layout that is not shown")
    }

    func testMonochromeUsesShadeCharacters() throws {
        let app = try makeApp()
        drag(app, from: (10, 10), to: (40, 10))
        let lines = render(app, color: false)
        XCTAssertTrue(lines[10].contains("█"), lines[10])
    }

    func testMenuAndFormsValidate() throws {
        let app = try makeApp()
        app.handle(.key(.char("m")))
        XCTAssertTrue(render(app).joined().contains("Retrain…"))
        app.handle(.key(.down)); app.handle(.key(.down)); app.handle(.key(.down))
        app.handle(.key(.enter))     // Help, Retrain…, Evaluate, Load weights…
        guard case .form(_, .load)? = app.overlay else { return XCTFail("load form expected") }
        for ch in "/nonexistent/w.safetensors" { app.handle(.key(.char(ch))) }
        app.handle(.key(.enter))
        guard case let .form(form, _)? = app.overlay else { return XCTFail("form stays open on error") }
        XCTAssertTrue(form.error?.contains("no such file") ?? false, form.error ?? "")
        XCTAssertTrue(render(app).joined().contains("no such file"))
        app.handle(.key(.escape))
        XCTAssertNil(app.overlay)

        app.handle(.function(2))
        guard case var retrain? = { if case let .form(f, .retrain)? = app.overlay { return f }; return nil }() else { return XCTFail("retrain form") }
        retrain.focus = 1
        _ = retrain.handle(.ctrl("u"))
        _ = retrain.handle(.char("0"))
        XCTAssertEqual(retrain.handle(.enter), .none)
        XCTAssertEqual(retrain.error, "epochs must be a whole number from 1 to 1000000", "the settings' own rule, as on the command line")
        _ = retrain.handle(.ctrl("u"))
        _ = retrain.handle(.char("x"))
        XCTAssertEqual(retrain.value("epochs"), "", "letters are not typed into a number")
        retrain.focus = 0
        _ = retrain.handle(.right)
        XCTAssertEqual(retrain.value("model"), "seed004")
        // The seed is shown, so a run can be repeated; it is a checked number too.
        retrain.focus = 1
        _ = retrain.handle(.char("2"))
        retrain.focus = 0
        XCTAssertNotNil(Int(retrain.value("seed")), "a fresh seed fills the field: \(retrain.value("seed"))")
        _ = retrain.handle(.up)
        XCTAssertEqual(retrain.fields[retrain.focus].label, "seed", "↑ from the first field wraps to the seed")
        _ = retrain.handle(.ctrl("u"))
        XCTAssertEqual(retrain.handle(.enter), .none)
        XCTAssertEqual(retrain.error, "seed must be a whole number from 0 to 999999999")
    }

    func testSaveRoundTripsThroughTheDialog() throws {
        let app = try makeApp()
        let path = NSTemporaryDirectory() + "digits-app-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        app.handle(.key(.char("s")))
        for _ in 0..<80 { app.handle(.key(.backspace)) }
        for ch in path { app.handle(.key(.char(ch))) }
        app.handle(.key(.enter))
        XCTAssertNil(app.overlay)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try WeightsFile.load(path).network.spec, app.model.network.spec)
    }

    /// A drawing is a doodle, not work: quitting does not ask about it; p saves it.
    func testQuitDoesNotAskAboutADrawingAndPSavesIt() throws {
        let app = try makeApp()
        app.handle(.key(.char("q")))
        XCTAssertTrue(app.quit, "an empty canvas quits at once")
        let app2 = try makeApp()
        drag(app2, from: (10, 10), to: (40, 20))
        let cwd = FileManager.default.currentDirectoryPath
        let dir = NSTemporaryDirectory() + "digits-draw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd); try? FileManager.default.removeItem(atPath: dir) }
        app2.handle(.key(.char("p")))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("drawing-") && $0.hasSuffix(".png") }
        XCTAssertEqual(files.count, 1)
        XCTAssertTrue(app2.notice?.text.contains(dir + "/drawing-") ?? false, "the notice names the absolute path: \(app2.notice?.text ?? "")")
        let saved = try ImageIO.read(dir + "/" + files[0])
        XCTAssertEqual(saved.width, 28)
        XCTAssertEqual(saved.pixels.map { ($0 * 255).rounded() }, app2.canvas.pixels.map { ($0 * 255).rounded() })
        app2.handle(.key(.char("q")))
        XCTAssertTrue(app2.quit, "ink on the canvas does not hold up quitting")
    }

    func testQuitAsksWhenATrainedModelIsUnsaved() throws {
        let app = try makeApp()
        app.unsavedModel = true
        app.handle(.key(.char("q")))
        XCTAssertFalse(app.quit)
        XCTAssertTrue(render(app).joined().contains("not saved"))
        app.handle(.key(.escape))
        XCTAssertFalse(app.quit)
        app.handle(.key(.ctrl("c")))
        app.handle(.key(.char("q")))
        XCTAssertTrue(app.quit)
    }

    /// The question only offers what it names: "p" (once: save the drawing) means nothing there.
    func testQuitQuestionIgnoresChoicesItDidNotOffer() throws {
        func isAsking(_ app: App) -> Bool { if case .confirmQuit? = app.overlay { return true } else { return false } }
        let app = try makeApp()
        drag(app, from: (10, 10), to: (40, 20))
        app.unsavedModel = true
        app.handle(.key(.char("q")))
        for key in ["p", "P", "x"] {
            app.handle(.key(.char(Character(key))))
            XCTAssertTrue(isAsking(app), "\(key) is not an answer")
            XCTAssertFalse(app.quit)
        }
    }
}

extension InputEvent {
    static func function(_ n: Int) -> InputEvent { .key(.function(n)) }
}
