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
        try t.wait(for: "your samples: 0:0 1:0 2:0 3:0 4:0 5:0 6:0 7:1")   // the counts, under the canvas
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

    /// Escape sequences the app does not know, and a mouse report split across two
    /// reads, never type their bytes: no sample is saved, the app does not quit,
    /// and the drawing stays (the hostile tester's reproduction, issue 14).
    func testStrayEscapeSequencesNeverLabelOrQuit() throws {
        let store = SampleStore(directory: dir + "/xdg/digits/mine")
        let t = try start()
        try t.stroke(Glyphs.seven)
        try t.wait(until: "the drawing is read") { ScreenText.predicted($0) != nil }
        for junk in ["\u{1B}[<32;-5;-5M", "\u{1B}[<0;20;10;5;6M", "\u{1B}]0;7\u{07}", "\u{1B}[4;300;600t", "\u{1B}O5",
                     "\u{1B}[1;99999999999A", "\u{1B}]2;quit\u{07}"] {
            try t.literal(junk)
        }
        // A drag report cut in two, its rest 200 ms later (a slow link).
        try t.literal("\u{1B}[<32;3")
        Thread.sleep(forTimeInterval: 0.2)
        try t.literal("0;15M\u{1B}[<0;30;15m")
        Thread.sleep(forTimeInterval: 0.5)
        try t.literal("?")   // the help: proof that the app still reads keys
        try t.wait(for: "Help")
        let saved = FileManager.default.fileExists(atPath: store.imagesPath) ? try store.read().count : 0
        XCTAssertEqual(saved, 0, "a stray byte labelled a sample")
        XCTAssertFalse(try t.screen().contains("__EXIT__"), "the app quit")
        try t.keys("Escape")
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }

    /// Two app windows labelling at the same time: every sample of both is kept.
    func testTwoWindowsLabellingAtOnceLoseNone() throws {
        let store = SampleStore(directory: dir + "/xdg/digits/mine")
        let a = try start(), b = try start()
        for round in 1...8 {
            try a.stroke(Glyphs.one); try b.stroke(Glyphs.seven)
            try a.wait(until: "a reads") { ScreenText.predicted($0) != nil }
            try b.wait(until: "b reads") { ScreenText.predicted($0) != nil }
            // Both keys sent back to back: the two saves overlap as closely as two people can make them.
            try a.literal("1"); try b.literal("7")
            try a.wait(for: "saved as a 1"); try b.wait(for: "saved as a 7")
            XCTAssertEqual(try store.read().counts, [0, round, 0, 0, 0, 0, 0, round, 0, 0])
        }
        // Each window takes back only its own last sample.
        try a.literal("U")
        try a.wait(for: "took back the 1")
        XCTAssertEqual(try store.read().counts, [0, 7, 0, 0, 0, 0, 0, 8, 0, 0])
        try a.keys("q"); try b.keys("q")
        try a.wait(for: "__EXIT__ 0"); try b.wait(for: "__EXIT__ 0")
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
