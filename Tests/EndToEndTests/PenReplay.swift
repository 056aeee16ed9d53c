import Foundation
import XCTest
@testable import DigitData

/// Pen samples drawn through the app in tmux as a person with a mouse would:
/// each stroke a press, a drag report in every screen cell the pen crosses, and
/// a release; the drawing placed on the canvas as `Canvas.drawing` places it
/// (`Canvas.replayPlacement`: 20 px tall, centred). Then the big digit is read
/// from the screen.
enum PenReplay {
    /// The SGR 1006 reports that draw `sample` on `canvas`, one string per stroke;
    /// nil when the sample has no point.
    static func reports(_ sample: PenSample, on canvas: Tmux.Canvas) -> [String]? {
        guard let place = Canvas.replayPlacement(sample.strokes) else { return nil }
        return sample.strokes.filter { !$0.isEmpty }.map { stroke in
            let points = stroke.map(place)
            func cell(_ p: (x: Float, y: Float)) -> (Int, Int) { canvas.cell((Double(p.x), Double(p.y))) }
            var cells = [cell(points[0])]
            // Every cell the pen crosses, in order: steps of a quarter pixel are finer than a cell.
            for (a, b) in zip(points, points.dropFirst()) {
                let steps = max(1, Int(((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() / 0.25))
                for i in 1...steps {
                    let t = Float(i) / Float(steps)
                    let c = cell((a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
                    if c != cells.last! { cells.append(c) }
                }
            }
            var s = "\u{1B}[<0;\(cells[0].0);\(cells[0].1)M"
            for c in cells.dropFirst() { s += "\u{1B}[<32;\(c.0);\(c.1)M" }
            return s + "\u{1B}[<0;\(cells.last!.0);\(cells.last!.1)m"
        }
    }

    /// The feature-map panel's layer number, "feature maps · conv2 (2/4)" → 2.
    static func layerIndex(_ screen: String) -> Int? {
        guard let r = screen.range(of: #"feature maps · \S+ \((\d+)/"#, options: .regularExpression) else { return nil }
        return Int(screen[r].split(separator: "(").last!.dropLast())
    }

    /// Clears the canvas, draws `sample`, and returns the digit the app shows for it
    /// (nil: no reading). The app handles input in order and reads the canvas before
    /// each frame, so once the Tab sent after the drawing has turned the feature-map
    /// panel to the next layer, the screen shows the reading of the whole drawing.
    static func draw(_ sample: PenSample, in t: Tmux, on canvas: Tmux.Canvas) throws -> Int? {
        let before = layerIndex(try t.screen())
        try t.literal("c")
        // tmux takes at most about 16 KB a command: a long stroke goes in pieces, each whole reports.
        for stroke in reports(sample, on: canvas) ?? [] {
            var piece = ""
            for report in stroke.split(separator: "\u{1B}", omittingEmptySubsequences: true) {
                if piece.utf8.count > 4_000 { try t.literal(piece); piece = "" }
                piece += "\u{1B}" + report
            }
            try t.literal(piece)
        }
        try t.keys("Tab")
        let screen = try t.wait(until: "the feature maps turned past layer \(before ?? 0)", timeout: 20) {
            layerIndex($0) != nil && layerIndex($0) != before
        }
        return ScreenText.predicted(screen)
    }

    /// Held-out writers' pen digits (`WriterSplit.isHeldOut`) from $DIGITS_DATA/unipen.
    static func heldOutDigits() throws -> [PenSample] {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA (with unipen/\(PenStrokes.digitsFile)) to replay pen digits") }
        let file = data + "/unipen/" + PenStrokes.digitsFile
        guard FileManager.default.fileExists(atPath: file) else { throw XCTSkip("no \(file)") }
        return try PenStrokes.read(file, labels: .digits, keep: WriterSplit.isHeldOut)
    }
}
