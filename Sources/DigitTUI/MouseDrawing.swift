import DigitData
/// Drawing with the mouse. A stroke starts with a press on the canvas and ends
/// with the release. Ink goes only where the pointer's path crosses the canvas:
/// a drag that leaves it is cut at the border (the pen lifts there), and a drag
/// that comes back continues the same stroke (one undo step) from the point
/// where it re-enters. Nothing is drawn along the edge while the pointer is out.
struct MouseStroke {
    var erase: Bool
    /// Where the pointer was last, in canvas pixel units (outside the canvas too).
    var last: (x: Float, y: Float)
}

extension Layout {
    /// The canvas pixel position of screen cell (col, row)'s centre, whether or
    /// not the cell is on the canvas (full: two columns per pixel; compact: two
    /// pixels per row, the centre on the line between them).
    func canvasPoint(atColumn col: Int, row: Int) -> (x: Float, y: Float) {
        centre(col - canvas.x - 1, row - canvas.y - 1)
    }
}

/// The part of the segment a→b inside the canvas square [0, size]², as the
/// fractions of the way along it (Liang–Barsky), or nil when it misses.
func clipToCanvas(_ a: (x: Float, y: Float), _ b: (x: Float, y: Float)) -> (enter: Float, leave: Float)? {
    let size = Float(Canvas.size)
    var t0: Float = 0, t1: Float = 1
    let dx = b.x - a.x, dy = b.y - a.y
    for (p, q) in [(-dx, a.x), (dx, size - a.x), (-dy, a.y), (dy, size - a.y)] {
        if p == 0 {
            if q < 0 { return nil }
        } else {
            let r = q / p
            if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
        }
    }
    return t0 <= t1 ? (t0, t1) : nil
}

extension App {
    func handleMouse(_ col: Int, _ row: Int, _ button: MouseButton, _ action: MouseAction) {
        let point = layout.canvasPoint(atColumn: col, row: row)
        if layout.pixel(atColumn: col, row: row) != nil { pointer = point }
        switch action {
        case .press:
            guard layout.pixel(atColumn: col, row: row) != nil else {
                mouseStroke = nil
                return
            }
            notice = nil
            showBrushPreview = false
            // The mouse takes over: the keyboard's cursor and pen step aside.
            if penDown { penDown = false; endStroke() }
            keyboardUsed = false
            let erase = button == .right || eraser
            beginStroke(at: point.x, point.y, erase: erase)
            mouseStroke = MouseStroke(erase: erase, last: point)
        case .drag, .move:
            // Without a press first (a move report), there is nothing to draw.
            strokeTo(point)
        case .release:
            strokeTo(point)
            if mouseStroke != nil { endStroke() }
            mouseStroke = nil
        }
    }

    /// Continues the stroke to `point`, inking only the part of the way that
    /// lies on the canvas.
    private func strokeTo(_ point: (x: Float, y: Float)) {
        guard var stroke = mouseStroke else { return }
        defer { stroke.last = point; mouseStroke = stroke }
        guard let (enter, leave) = clipToCanvas(stroke.last, point) else { return }
        func at(_ t: Float) -> (Float, Float) {
            // A point on the border is pulled a hair inside, onto the border pixels.
            let x = stroke.last.x + (point.x - stroke.last.x) * t, y = stroke.last.y + (point.y - stroke.last.y) * t
            let inside = Float(Canvas.size) - 0.01
            return (min(max(x, 0.01), inside), min(max(y, 0.01), inside))
        }
        if enter > 0 {
            // Coming back onto the canvas: the pen touches down where the path enters.
            let p = at(enter)
            canvas.lift()
            canvas.extend(to: p.0, p.1, erase: stroke.erase)
        }
        let p = at(leave)
        canvas.extend(to: p.0, p.1, erase: stroke.erase)
        canvasChanged = true
        if leave < 1 { canvas.lift() }   // it left: nothing along the edge
    }
}
