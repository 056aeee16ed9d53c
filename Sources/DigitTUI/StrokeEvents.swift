import DigitData

/// Where every stroke of the drawing begins and ends, and where the canvas is
/// cleared or undone, for the mouse and the keyboard alike: the belief strip
/// (`BeliefStrip`) records a row when a stroke ends and follows the canvas's undo.
extension App {
    /// A stroke begins at (x, y) in pixel units (a mouse press, the keyboard's pen down).
    func beginStroke(at x: Float, _ y: Float, erase: Bool) {
        recordFinishedStroke()
        canvas.begin(at: x, y, erase: erase)
        belief.strokeBegan()
        canvasChanged = true
    }

    /// The stroke ends (a mouse release, the keyboard's pen up): its reading is
    /// recorded once the canvas has been read (`update`), or at the next edit.
    func endStroke() {
        guard canvas.strokeActive else { return }
        canvas.end()
        strokeAwaitingReading = true
    }

    /// `c`: clears the drawing and the strip (undo brings both back).
    func clearCanvas() {
        recordFinishedStroke()
        let saved = !canvas.isEmpty
        canvas.clear()
        belief.cleared(savedForUndo: saved)
        endInputStrokes()
    }

    /// `u`: takes back the last stroke (or clear), and its row of the strip.
    func undoStroke() {
        recordFinishedStroke()
        let saved = canvas.canUndo
        canvas.undo()
        if saved { belief.undone() }
        endInputStrokes()
    }

    /// After a clear or an undo no stroke goes on: the keyboard's pen is up and a
    /// mouse drag still held draws nothing until the next press.
    private func endInputStrokes() {
        penDown = false
        mouseStroke = nil
        strokeAwaitingReading = false
        canvasChanged = true
    }

    /// Records the stroke that ended, reading the canvas first if it changed since
    /// (several events can arrive before one `update`). A stroke that leaves
    /// nothing readable (an empty canvas) adds no row.
    func recordFinishedStroke() {
        guard strokeAwaitingReading else { return }
        strokeAwaitingReading = false
        refreshReading()
        if let r = reading { belief.strokeEnded(reading: r.probabilities) }
    }
}
