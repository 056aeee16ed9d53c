import Foundation
import XCTest
import ConvNet
@testable import DigitData
@testable import DigitTUI

/// Labelling in the app: the canvas records its strokes, a digit key stores the
/// drawing as a sample (the image `DrawingInput.prepare` makes, and the strokes),
/// U takes it back, and a damaged folder is one notice with the good samples kept.
final class SampleLabelingTests: XCTestCase {
    var dir: String!
    var store: SampleStore { SampleStore(directory: dir + "/mine") }

    override func setUp() {
        dir = NSTemporaryDirectory() + "digits-labels-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func makeApp() throws -> App {
        let app = try AppFixture.app()
        app.samples.store = store
        app.loadSamples()
        return app
    }

    func drag(_ app: App, from: (Int, Int), to: (Int, Int), steps: Int = 10) {
        app.handle(.mouse(column: from.0, row: from.1, button: .left, action: .press))
        for i in 1...steps {
            app.handle(.mouse(column: from.0 + (to.0 - from.0) * i / steps, row: from.1 + (to.1 - from.1) * i / steps, button: .none, action: .drag))
        }
        app.handle(.mouse(column: to.0, row: to.1, button: .none, action: .release))
    }

    /// Canvas cell (x, y) as a screen cell of the full layout.
    func cell(_ app: App, _ x: Int, _ y: Int) -> (Int, Int) { (app.layout.canvas.x + 1 + 2 * x, app.layout.canvas.y + 1 + y) }

    // MARK: the recording

    func testTheCanvasRecordsItsStrokesAndUndoAndClearFollow() {
        var c = Canvas()
        c.begin(at: 3, 4); c.extend(to: 5, 6); c.lift(); c.extend(to: 9, 9); c.extend(to: 10, 9); c.end()
        XCTAssertEqual(c.recording.strokes, [[.init(3, 4), .init(5, 6)], [.init(9, 9), .init(10, 9)]])
        c.begin(at: 20, 20); c.extend(to: 21, 22); c.end()
        XCTAssertEqual(c.recording.strokes.count, 3)
        c.undo()
        XCTAssertEqual(c.recording.strokes.count, 2, "undo takes the last stroke back")
        c.clear()
        XCTAssertEqual(c.recording.strokes, [])
        c.undo()
        XCTAssertEqual(c.recording.strokes.count, 2, "undoing a clear brings the strokes back")
        XCTAssertTrue(c.recording.isFaithful)
        // The eraser makes the strokes unfaithful to the drawing, until undone.
        c.begin(at: 4, 4, erase: true); c.extend(to: 6, 6, erase: true); c.end()
        XCTAssertFalse(c.recording.isFaithful)
        c.undo()
        XCTAssertTrue(c.recording.isFaithful)
        c.set([Float](repeating: 0.5, count: 784))
        XCTAssertFalse(c.recording.isFaithful, "pixels loaded wholesale have no strokes")
    }

    /// The strokes recorded replay to the very same ink: what was stored is what was drawn.
    func testRecordedStrokesReplayToTheSameInk() throws {
        let app = try makeApp()
        drag(app, from: cell(app, 8, 5), to: cell(app, 20, 5))
        drag(app, from: cell(app, 20, 5), to: cell(app, 11, 23))
        var replay = Canvas()
        replay.brushRadius = app.canvas.brushRadius
        for s in app.canvas.recording.strokes {
            replay.begin(at: s[0].x, s[0].y)
            for p in s.dropFirst() { replay.extend(to: p.x, p.y) }
            replay.end()
        }
        XCTAssertEqual(app.canvas.recording.strokes.count, 2)
        XCTAssertEqual(replay.pixels, app.canvas.pixels)
    }

    // MARK: the keys

    func testADigitKeySavesTheDrawingAndUUndoesIt() throws {
        let app = try makeApp()
        drag(app, from: cell(app, 14, 4), to: cell(app, 14, 23))
        let input = try XCTUnwrap(DrawingInput.prepare(app.canvas)).pixels
        let strokes = app.canvas.recording.strokes
        app.handle(.key(.char("1")))
        let set = try store.read()
        XCTAssertEqual(set.samples.map(\.label), [1])
        XCTAssertEqual(set.samples[0].image, try Sample(label: 1, input: input).image, "the image the network sees")
        XCTAssertEqual(set.samples[0].strokes.count, 1)
        XCTAssertEqual(set.samples[0].strokes[0].count, strokes[0].count)
        XCTAssertTrue(app.canvas.isEmpty, "cleared for the next drawing")
        XCTAssertEqual(app.notice?.text.hasPrefix("saved as a 1; yours: 0:0 1:1 2:0"), true, app.notice?.text ?? "")
        XCTAssertEqual(app.samples.counts[1], 1)
        // The lower panel shows the count after each save through the notice; U takes it back.
        app.handle(.key(.char("U")))
        XCTAssertEqual(try store.read().count, 0)
        XCTAssertEqual(app.notice?.text, "took back the 1; yours: 0:0 1:0 2:0 3:0 4:0 5:0 6:0 7:0 8:0 9:0")
        app.handle(.key(.char("U")))
        XCTAssertEqual(app.notice?.text, "U: no sample was saved in this session")
        app.handle(.key(.char("7")))
        XCTAssertEqual(app.notice?.text, "nothing to label: draw a digit first, then press its key")
        XCTAssertEqual(app.notice?.isError, true)
        app.handle(.key(.char("L")))
        XCTAssertTrue(app.notice?.text.hasPrefix("press the digit this drawing is, 0–9") == true)
    }

    func testADrawingWithTheEraserIsSavedWithoutStrokes() throws {
        let app = try makeApp()
        drag(app, from: cell(app, 14, 4), to: cell(app, 14, 23))
        app.handle(.mouse(column: cell(app, 14, 10).0, row: cell(app, 14, 10).1, button: .right, action: .press))
        app.handle(.mouse(column: cell(app, 14, 10).0, row: cell(app, 14, 10).1, button: .none, action: .release))
        app.handle(.key(.char("4")))
        let set = try store.read()
        XCTAssertEqual(set.samples.map(\.label), [4])
        XCTAssertEqual(set.samples[0].strokes, [])
        XCTAssertTrue(app.notice?.text.contains("its image only: the eraser was used") == true, app.notice?.text ?? "")
    }

    func testADamagedFolderIsOneNoticeAndTheGoodSamplesStay() throws {
        try store.add([try Sample(label: 2, image: [UInt8](repeating: 9, count: 784)), try Sample(label: 5, image: [UInt8](repeating: 9, count: 784))])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try (bytes + Data("{\"label\":\u{1B}[31m\n".utf8)).write(to: URL(fileURLWithPath: store.journalPath))
        let app = try makeApp()
        let notice = try XCTUnwrap(app.notice)
        XCTAssertTrue(notice.isError)
        XCTAssertTrue(notice.text.contains("samples.jsonl line 3 is damaged") && notice.text.hasSuffix("2 samples kept"), notice.text)
        XCTAssertFalse(notice.text.contains("\u{1B}"), "escaped")
        XCTAssertEqual(app.samples.counts, [0, 0, 1, 0, 0, 1, 0, 0, 0, 0])
        // Labelling goes on, and the damaged line stays as it was.
        drag(app, from: cell(app, 14, 4), to: cell(app, 14, 23))
        app.handle(.key(.char("1")))
        XCTAssertEqual(try store.read().samples.map(\.label), [2, 5, 1])
        XCTAssertEqual(app.samples.counts, [0, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    }

    func testAFailedSaveSaysSoAndKeepsTheDrawing() throws {
        let app = try makeApp()
        FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        app.samples.store = SampleStore(directory: dir + "/file/mine")
        drag(app, from: cell(app, 14, 4), to: cell(app, 14, 23))
        app.handle(.key(.char("1")))
        XCTAssertEqual(app.notice?.isError, true)
        XCTAssertTrue(app.notice?.text.hasPrefix("not saved: ") == true, app.notice?.text ?? "")
        XCTAssertFalse(app.canvas.isEmpty, "the drawing stays to be saved again")
    }

    func testWithoutAStoreNothingIsWritten() throws {
        let app = try AppFixture.app()
        drag(app, from: cell(app, 14, 4), to: cell(app, 14, 23))
        app.handle(.key(.char("1")))
        XCTAssertEqual(app.notice?.text, "no samples folder: samples are kept only in `digits draw`")
    }
}
