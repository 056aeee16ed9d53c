import ConvNet
import Foundation
import XCTest
@testable import DigitTUI

/// What the screen says while a training run goes and after it ends: F2 is not
/// offered during a run, a notice about the run goes when the run ends, and the
/// status line says what t does now.
final class TrainingNoticeTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try AppFixture.mnistDirectory(train: 200, test: 10) }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func screen(_ app: App) -> String { AppFixture.surface(app).lines.joined(separator: "\n") }

    func waitFor(_ app: App, _ what: String, _ done: () -> Bool) {
        let deadline = Date().addingTimeInterval(120)
        while !done() && Date() < deadline { app.update(); usleep(5_000) }
        XCTAssertTrue(done(), "still not \(what) after 120 s")
    }

    func testTheRunningNoticeGoesWhenTheRunEndsAndF2IsNotOfferedMeanwhile() throws {
        let app = try AppFixture.app(dataOption: dir)
        var settings = TrainingSettings()
        settings.epochs = 20
        settings.batchSize = 1
        app.training = try TrainingSession(request: RetrainRequest(model: AppFixture.spec, settings: settings), dataOption: dir)
        let session = try XCTUnwrap(app.training)
        app.lowerView = .training

        waitFor(app, "training with progress") { session.snapshot.progress != nil || session.isDone }
        XCTAssertFalse(session.isDone, "the run ended before it could be looked at")
        let running = screen(app)
        XCTAssertFalse(running.split(separator: "\n").last!.contains("retrain"), "F2 is offered in the footer during a run: \(running)")
        XCTAssertTrue(running.contains("t hides it"), "the training panel is showing: t hides it")
        app.handle(.key(.char("t")))
        XCTAssertTrue(screen(app).contains("t shows it"))
        app.handle(.key(.function(2)))
        XCTAssertNil(app.overlay)
        XCTAssertTrue(screen(app).contains("training is already running"))
        waitFor(app, "finished") { app.trainedAccuracy != nil }
        let done = screen(app)
        XCTAssertFalse(done.contains("training is already running"), "a stale notice contradicts the finished run: \(done)")
    }

    /// The training panel's title keeps "Esc: cancel" in the full layout's narrow panel (90×34).
    func testTheTrainingPanelTitleKeepsEscCancel() throws {
        for (w, h) in [(90, 34), (80, 24), (120, 40)] {
            let app = try AppFixture.app(width: w, height: h, dataOption: dir)
            var settings = TrainingSettings()
            settings.epochs = 1
            app.training = try TrainingSession(request: RetrainRequest(model: "seed003", settings: settings), dataOption: dir)
            app.lowerView = .training
            let text = screen(app)
            app.training?.cancel()
            XCTAssertTrue(text.contains("Esc: cancel"), "\(w)×\(h):\n\(text)")
        }
    }
}
