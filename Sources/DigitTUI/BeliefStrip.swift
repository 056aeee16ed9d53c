import DigitData

/// Belief over time: the model's class probabilities after each stroke of the
/// current drawing, oldest first. It follows the canvas's own undo: a stroke and a
/// clear each keep the strip as it was, so that undo brings back exactly the strip
/// of the drawing it brings back (clear empties it, undo drops the last stroke).
public struct BeliefStrip: Sendable, Equatable {
    /// One row per finished stroke: the probabilities over every output.
    public private(set) var rows: [[Float]] = []
    /// The strip before each step the canvas can undo, as deep as its undo.
    private var saved: [[[Float]]] = []

    public init() {}

    /// A stroke begins: the canvas keeps its pixels for undo, the strip its rows.
    mutating func strokeBegan() { save() }

    /// The stroke just finished reads as `probabilities`.
    mutating func strokeEnded(reading probabilities: [Float]) { rows.append(probabilities) }

    /// The canvas was cleared; `saved` says whether it kept an undo step (it does
    /// not when it was already empty).
    mutating func cleared(savedForUndo: Bool) {
        if savedForUndo { save() }
        rows = []
    }

    /// The canvas undid its last step (a stroke or a clear).
    mutating func undone() { rows = saved.popLast() ?? [] }

    private mutating func save() {
        saved.append(rows)
        if saved.count > Canvas.undoDepth { saved.removeFirst() }
    }
}
