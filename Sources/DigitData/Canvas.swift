/// The 28×28 drawing surface: ink in [0, 1], a soft round brush, strokes joined
/// by straight lines so that a fast mouse leaves no gaps, and an undo stack of
/// whole strokes. Pure state: no terminal involved.
public struct Canvas: Sendable {
    public static let size = 28
    public private(set) var pixels = [Float](repeating: 0, count: size * size)
    /// Brush radius in pixels (MNIST's pen is about 2–3 px wide after scaling).
    public var brushRadius: Float = 1.4
    public static let brushRange: ClosedRange<Float> = 0.6...3.0
    private var undoStack: [[Float]] = []
    private var last: (x: Float, y: Float)?
    public private(set) var strokeActive = false
    /// The pen strokes that made the drawing (`StrokeRecording`).
    public private(set) var recording = StrokeRecording()

    public init() {}

    public var isEmpty: Bool { !pixels.contains { $0 > 0.05 } }
    public var canUndo: Bool { !undoStack.isEmpty }

    public subscript(x: Int, y: Int) -> Float { pixels[y * Canvas.size + x] }

    /// Starts a stroke at (x, y) in pixel units (fractions allowed); remembers the
    /// canvas as it was so `undo` can restore it.
    public mutating func begin(at x: Float, _ y: Float, erase: Bool = false) {
        undoStack.append(pixels)
        if undoStack.count > 100 { undoStack.removeFirst() }
        strokeActive = true
        last = (x, y)
        stamp(x, y, erase: erase)
        recording.begin(x, y, erase: erase, undoDepth: undoStack.count)
    }

    /// Continues the stroke to (x, y), inking every point on the way; after
    /// `lift`, the stroke goes on from (x, y) alone, in the same undo step.
    public mutating func extend(to x: Float, _ y: Float, erase: Bool = false) {
        guard strokeActive else { begin(at: x, y, erase: erase); return }
        recording.add(x, y, erase: erase)
        guard let from = last else {
            last = (x, y)
            stamp(x, y, erase: erase)
            return
        }
        let dx = x - from.x, dy = y - from.y
        let steps = max(1, Int((dx * dx + dy * dy).squareRoot() / 0.25))
        for i in 1...steps {
            let t = Float(i) / Float(steps)
            stamp(from.x + dx * t, from.y + dy * t, erase: erase)
        }
        last = (x, y)
    }

    /// Lifts the pen within the stroke (a drag that left the canvas): the next
    /// `extend` starts afresh where it is, without joining the gap.
    public mutating func lift() { last = nil; recording.lift() }

    public mutating func end() {
        strokeActive = false
        last = nil
    }

    public mutating func undo() {
        guard let previous = undoStack.popLast() else { return }
        pixels = previous
        recording.undo()
        end()
    }

    public mutating func clear() {
        guard !isEmpty else { return }
        undoStack.append(pixels)
        pixels = [Float](repeating: 0, count: Canvas.size * Canvas.size)
        recording.clear(undoDepth: undoStack.count, faithful: true)
        end()
    }

    /// Loads pixels wholesale (tests, and images dropped on the canvas).
    public mutating func set(_ values: [Float]) {
        precondition(values.count == pixels.count)
        undoStack.append(pixels)
        pixels = values.map { min(max($0, 0), 1) }
        recording.clear(undoDepth: undoStack.count, faithful: false)
    }

    /// A soft disc: full ink inside the radius, fading to nothing over one pixel,
    /// like an anti-aliased pen. Ink only ever grows (max), erasing only shrinks.
    mutating func stamp(_ cx: Float, _ cy: Float, erase: Bool) {
        let r = brushRadius, n = Canvas.size
        let lo = { (v: Float) in max(0, Int((v - r - 1).rounded(.down))) }
        let hi = { (v: Float) in min(n - 1, Int((v + r + 1).rounded(.up))) }
        guard cx > -r - 1, cy > -r - 1, cx < Float(n) + r + 1, cy < Float(n) + r + 1 else { return }
        for y in lo(cy)...hi(cy) {
            for x in lo(cx)...hi(cx) {
                let px = Float(x) + 0.5 - cx, py = Float(y) + 0.5 - cy
                let d = (px * px + py * py).squareRoot()
                let ink = min(1, max(0, r + 0.5 - d))
                guard ink > 0 else { continue }
                let i = y * n + x
                pixels[i] = erase ? min(pixels[i], 1 - ink) : max(pixels[i], ink)
            }
        }
    }
}
