import Foundation
import XCTest

/// The menu's Teach in a real terminal: it starts, shows its progress, the
/// canvas keeps reading drawings meanwhile, its before/after is shown, and the
/// taught model is kept (saved under a chosen name) or discarded; F8 puts the
/// shipped model back.
final class TeachTmuxTests: TinyMNISTTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        try super.setUpWithError()
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
        // Enough samples that teaching (on one core) lasts a few seconds: long
        // enough to draw while it runs.
        try SamplesFolder.write(to: dir + "/xdg/digits/mine", count: 300)
    }

    func start() throws -> Tmux {
        let t = try Tmux(command: "'\(Binary.path)' draw --weights '\(weights)' --data '\(data)'",
                         env: ["XDG_DATA_HOME": dir + "/xdg"], directory: dir)
        try t.wait(for: "draw a digit")
        return t
    }

    func testTeachWhileDrawingThenKeepAndGoBack() throws {
        let t = try start()
        try t.keys("F7")
        try t.wait(forPattern: "teaching( [0-9]+ %)?:")
        // Drawing still works while it teaches: a 1 is read, teaching still on the status line.
        try t.stroke(Glyphs.one)
        try t.wait(until: "a 1 is read while teaching runs") {
            ScreenText.predicted($0) == 1 && $0.range(of: "teaching( [0-9]+ %)?:", options: .regularExpression) != nil
        }
        // The result: before → after on the samples and on MNIST test.
        let result = try t.wait(for: "y keep the taught model", timeout: 120)
        XCTAssertTrue(result.contains("5-fold"), result)
        XCTAssertTrue(result.contains("MNIST test (20): "), result)
        try t.keys("y")
        try t.wait(for: "Save weights as")
        // A name of the person's choosing.
        try t.keys("C-u")
        try t.literal("mine.safetensors")
        try t.keys("Enter")
        // (The notice wraps a long temporary path: the file and the word are checked.)
        try t.wait(until: "saved under the chosen name") { $0.contains("mine.safetensors") && FileManager.default.fileExists(atPath: self.dir + "/mine.safetensors") }
        // Back to the shipped model.
        try t.keys("F8")
        try t.wait(for: "back to the shipped model")
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    func testDiscardKeepsTheModelOnScreen() throws {
        let t = try start()
        try t.keys("F7")
        try t.wait(for: "y keep the taught model", timeout: 120)
        try t.keys("n")
        try t.wait(for: "the taught model was discarded; the previous one stays")
        // F8 with nothing unsaved goes straight back.
        try t.keys("F8")
        try t.wait(for: "back to the shipped model")
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    func testCancelWithF7Again() throws {
        let t = try start()
        try t.keys("F7")
        try t.wait(forPattern: "teaching( [0-9]+ %)?:")
        try t.keys("F7")
        try t.wait(for: "teaching cancelled; the model on screen is unchanged", timeout: 60)
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }
}
