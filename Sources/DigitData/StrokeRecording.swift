/// What was drawn on a `Canvas`, as pen strokes: the points handed to `begin`
/// and `extend`, in canvas pixel coordinates, one array per pen-down path (a
/// `lift` starts a new one). It follows the canvas's undo steps (undo trims it,
/// clear empties it and undo brings it back) and never changes the ink.
public struct StrokeRecording: Sendable, Equatable {
    public private(set) var strokes: [[PenSample.Point]] = []
    /// False when the strokes no longer tell how the drawing was made: the eraser
    /// took ink away, pixels were loaded wholesale, or the drawing had more points
    /// than a sample keeps. Such a drawing is stored without its strokes.
    public private(set) var isFaithful = true

    private struct State: Sendable, Equatable { var strokes: [[PenSample.Point]]; var isFaithful: Bool }
    /// One entry per undo step of the canvas (its oldest dropped with the canvas's).
    private var history: [State] = []
    private var penUp = true, points = 0

    public init() {}

    /// Before an undo step: keeps the current strokes, as many steps as the canvas keeps.
    mutating func push(undoDepth: Int) {
        history.append(State(strokes: strokes, isFaithful: isFaithful))
        if history.count > undoDepth { history.removeFirst(history.count - undoDepth) }
        penUp = true
    }

    mutating func begin(_ x: Float, _ y: Float, erase: Bool, undoDepth: Int) {
        push(undoDepth: undoDepth)
        add(x, y, erase: erase)
    }

    mutating func add(_ x: Float, _ y: Float, erase: Bool) {
        guard !erase else { isFaithful = false; return }
        guard isFaithful else { return }
        points += 1
        guard points <= SampleLine.Limits.points else { isFaithful = false; return }
        if penUp { strokes.append([]); penUp = false }
        strokes[strokes.count - 1].append(PenSample.Point(x, y))
    }

    mutating func lift() { penUp = true }

    mutating func undo() {
        guard let s = history.popLast() else { return }
        (strokes, isFaithful) = (s.strokes, s.isFaithful)
        points = strokes.reduce(0) { $0 + $1.count }
        penUp = true
    }

    mutating func clear(undoDepth: Int, faithful: Bool) {
        push(undoDepth: undoDepth)
        strokes = []; isFaithful = faithful; points = 0
    }
}
