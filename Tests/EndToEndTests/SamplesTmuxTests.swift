import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// Labelling in the real app (tmux): draw, press the digit, see "saved" and the
/// count go up, and find the sample under a temporary XDG_DATA_HOME.
final class SamplesTmuxTests: XCTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }
    var dir: String!

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
        dir = try temporaryDirectory()
    }
    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    func start() throws -> Tmux {
        let t = try Tmux(command: "'\(Binary.path)' draw --weights '\(weights)'", env: ["XDG_DATA_HOME": dir + "/xdg"])
        try t.wait(for: "draw a digit")
        return t
    }

    func testLabelADrawingAndTakeItBack() throws {
        let store = SampleStore(directory: dir + "/xdg/digits/mine")
        let t = try start()
        try t.stroke(Glyphs.seven)
        try t.wait(until: "the drawing is read") { ScreenText.predicted($0) != nil }
        try t.literal("7")
        try t.wait(for: "saved as a 7")
        try t.wait(for: "7:1")
        XCTAssertEqual(try store.read().samples.map(\.label), [7])
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.imagesPath))
        XCTAssertFalse(try store.read().samples[0].strokes.isEmpty, "the pen strokes are kept")
        try t.wait(for: "draw a digit")   // the canvas is cleared for the next one
        try t.stroke(Glyphs.one)
        try t.wait(until: "the drawing is read") { ScreenText.predicted($0) != nil }
        try t.literal("1")
        try t.wait(for: "1:1")
        XCTAssertEqual(try store.read().counts, [0, 1, 0, 0, 0, 0, 0, 1, 0, 0])
        try t.literal("U")
        try t.wait(for: "took back the 1")
        XCTAssertEqual(try store.read().samples.map(\.label), [7])
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    /// A damaged folder: the app starts, says so in one line, and keeps the good samples.
    func testTheAppStartsOnADamagedFolder() throws {
        let store = SampleStore(directory: dir + "/xdg/digits/mine")
        try store.add([try Sample(label: 3, image: [UInt8](repeating: 200, count: 784))])
        let journal = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try (journal + Data("not json\n".utf8)).write(to: URL(fileURLWithPath: store.journalPath))
        let t = try start()
        try t.wait(for: "1 sample kept")   // the end of the one line "…samples.jsonl line 2 is damaged…; 1 sample kept"
        try t.stroke(Glyphs.one)
        try t.wait(until: "the drawing is read") { ScreenText.predicted($0) != nil }
        try t.literal("1")
        try t.wait(for: "saved as a 1")
        XCTAssertEqual(try store.read().samples.map(\.label), [3, 1])
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }
}
