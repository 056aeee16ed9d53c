/// A character written with a pen, as UNIPEN records it: the pen-down paths in
/// writing order, in the tablet's own units, y growing downward.
public struct PenSample: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var x: Float, y: Float
        public init(_ x: Float, _ y: Float) { self.x = x; self.y = y }
    }
    public var label: String
    public var site: String
    public var writer: String
    public var strokes: [[Point]]

    public init(label: String, site: String, writer: String, strokes: [[Point]]) {
        self.label = label; self.site = site; self.writer = writer; self.strokes = strokes
    }
}

extension Canvas {
    /// The longer side, in canvas pixels, of a drawing replayed by `drawing(_:)`:
    /// about how large a person draws on the app's 28×28 canvas (MNIST's own box is 20).
    public static let replayHeight: Float = 20

    /// Replays pen strokes on a fresh canvas exactly as a person would draw them in
    /// the app: each stroke a press, moves and a release through `begin`/`extend`/`end`,
    /// the whole drawing scaled by its own bounding box (sites differ in resolution)
    /// so its longer side is `height` pixels, centred. Nil when there is no point.
    public static func drawing(_ strokes: [[PenSample.Point]], brushRadius: Float = Canvas().brushRadius,
                               height: Float = replayHeight, stretch: (x: Float, y: Float) = (1, 1)) -> Canvas? {
        guard let place = replayPlacement(strokes, height: height, stretch: stretch) else { return nil }
        var canvas = Canvas()
        canvas.brushRadius = brushRadius
        for stroke in strokes where !stroke.isEmpty {
            let first = place(stroke[0])
            canvas.begin(at: first.x, first.y)
            for p in stroke.dropFirst() { let q = place(p); canvas.extend(to: q.x, q.y) }
            canvas.end()
        }
        return canvas
    }

    /// Where `drawing` puts each pen point on the canvas (pixel units): the whole
    /// drawing scaled by its bounding box so its longer side is `height`, centred.
    /// Also how a test drives the app's mouse through the same places. Nil when
    /// there is no point.
    public static func replayPlacement(_ strokes: [[PenSample.Point]], height: Float = replayHeight,
                                       stretch: (x: Float, y: Float) = (1, 1)) -> ((PenSample.Point) -> (x: Float, y: Float))? {
        var x0 = Float.infinity, y0 = Float.infinity, x1 = -Float.infinity, y1 = -Float.infinity
        for s in strokes { for p in s { x0 = min(x0, p.x); x1 = max(x1, p.x); y0 = min(y0, p.y); y1 = max(y1, p.y) } }
        guard x0 <= x1, y0 <= y1 else { return nil }
        let s = height / max(x1 - x0, y1 - y0, 1)
        let sx = s * stretch.x, sy = s * stretch.y
        let c = Float(size) / 2
        let ox = c - (x1 + x0) / 2 * sx, oy = c - (y1 + y0) / 2 * sy
        return { p in (p.x * sx + ox, p.y * sy + oy) }
    }
}
