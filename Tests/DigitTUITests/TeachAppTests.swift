import Foundation
import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// The app's Teach without a terminal: a full run to keep, and the refusals.
final class TeachAppTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "digits-teach-app-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func store(_ count: Int) throws -> SampleStore {
        let s = SampleStore(directory: dir + "/mine")
        if count > 0 {
            var rng = RNG(seed: 3)
            try s.add((0..<count).map { i in try Sample(label: i % 10, image: (0..<784).map { _ in UInt8(rng.below(256)) }) })
        }
        return s
    }

    /// Updates the app until `done` or 60 s.
    func waitUntil(_ app: App, _ what: String, _ done: () -> Bool) {
        let end = Date().addingTimeInterval(60)
        while Date() < end {
            app.update()
            if done() { return }
            usleep(20_000)
        }
        XCTFail("never: \(what); notice: \(app.notice?.text ?? "none")")
    }

    func testTeachShowsTheResultAndKeepMakesItLive() throws {
        let mnist = try AppFixture.mnistDirectory(train: 40, test: 20)
        defer { try? FileManager.default.removeItem(atPath: mnist) }
        let app = try AppFixture.app(dataOption: mnist)
        app.samples.store = try store(20)
        let before = app.model.network.namedParameters.map { $0.parameter.value.array }
        app.handle(.key(.function(7)))
        XCTAssertNotNil(app.teaching)
        XCTAssertTrue(app.isBusy)
        waitUntil(app, "the result is shown") { app.taughtReport != nil }
        // The result waits over the lower panel, not in a modal message: drawing goes on.
        XCTAssertNil(app.overlay)
        let screen = AppFixture.surface(app).lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("5-fold") && screen.contains("y keep the taught model") && screen.contains("n discard it"), screen)
        // Retrain and Teach wait for y or n.
        app.handle(.key(.function(7)))
        XCTAssertEqual(app.notice?.text, "F7: keep (y) or discard (n) the new model first")
        app.handle(.key(.char("y")))
        XCTAssertNil(app.teaching)
        XCTAssertTrue(app.unsavedModel)
        XCTAssertEqual(app.model.source, "taught in this session")
        XCTAssertNotEqual(app.model.network.namedParameters.map { $0.parameter.value.array }, before)
        guard case .form(_, .save)? = app.overlay else { return XCTFail("the save form expected") }
    }

    func testTooFewSamplesIsSaid() throws {
        let app = try AppFixture.app()
        app.samples.store = try store(3)
        app.handle(.key(.function(7)))
        waitUntil(app, "the failure is said") { app.teaching == nil }
        XCTAssertEqual(app.notice?.text, "teaching failed: \(dir!)/mine: 3 samples; teaching needs at least 10 (one per digit): label drawings in the app (keys 0–9) or add pictures with `digits samples add`")
        XCTAssertEqual(app.notice?.isError, true)
    }
}
