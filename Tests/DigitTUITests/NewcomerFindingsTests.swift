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
}
