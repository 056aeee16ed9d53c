import DigitData

/// The belief strip: one row per stroke of the drawing (the latest at the bottom),
/// one column per class, each cell as bright as the class's probability after that
/// stroke (colour: the heat ramp; monochrome: shade characters), then what the
/// model said in words ("7", "5 or 9?", "not a digit"), so that it reads without
/// colour. No box: a heading row names it and its columns.
extension Renderer {
    static let beliefHeading = "belief"

    /// The info under the canvas and the belief strip. News come first: where the
    /// strip takes the info's spare rows and the news do not fit in what is left,
    /// the strip gives its rows back for this frame. Returns the news that still do
    /// not fit (`drawInfo`).
    func drawInfoAndBelief(_ app: App, _ s: Surface, _ l: Layout) -> [(String, Style)] {
        let overflow = drawInfo(app, s, l.info)
        guard let b = l.belief else { return overflow }
        guard !overflow.isEmpty, b.y == l.info.maxY else {
            drawBelief(app, s, b)
            return overflow
        }
        let whole = Rect(x: l.info.x, y: l.info.y, width: l.info.width, height: l.info.height + b.height)
        s.fill(whole)
        return drawInfo(app, s, whole)
    }

    func drawBelief(_ app: App, _ s: Surface, _ r: Rect) {
        guard r.height > 0, r.width > 0 else { return }
        let rows = app.belief.rows
        let heading = Renderer.beliefHeading
        guard !rows.isEmpty else {
            let hint = "\(heading): each stroke adds a row, how likely each class is after it (c clears it, u takes a row back)"
            for (i, line) in wrap(hint, r.width).prefix(r.height).enumerated() {
                s.put(r.x, r.y + i, line, i == 0 ? theme.heading : theme.dim, maxWidth: r.width)
            }
            s.put(r.x, r.y, heading, theme.heading)
            return
        }
        let notADigit = app.model.notADigitClass
        // "belief " over the stroke numbers, then the classes at three columns each
        // (two where narrow), then the words.
        let number = heading.count + 1, words = 12
        let cellWidth = number + rows[0].count * 3 + words <= r.width ? 3 : 2
        let columns = min(rows[0].count, max(0, (r.width - number) / cellWidth))
        let x0 = r.x + number
        let shown = rows.suffix(max(0, r.height - 1))
        let first = rows.count - shown.count
        s.put(r.x, r.y, heading, theme.heading)
        for c in 0..<columns {
            s.put(x0 + c * cellWidth, r.y, c == notADigit ? "✗" : "\(c)", theme.dim)
        }
        if first > 0 {
            let more = "last \(shown.count) of \(rows.count)"
            let mx = x0 + columns * cellWidth
            if mx + more.count <= r.maxX { s.put(mx, r.y, more, theme.dim) }
        }
        for (i, p) in shown.enumerated() {
            let y = r.y + 1 + i
            s.put(r.x, y, "\(first + i + 1)".leftPadding(number - 1), theme.dim)
            for c in 0..<columns {
                let v = p[c]
                let cell = theme.color ? Cell(scalar: " ", style: Style(bg: theme.heat(v)))
                                       : (v < 0.02 ? Cell(scalar: "·", style: theme.dim) : Cell(scalar: theme.shade(max(v, 0.125))))
                for k in 0..<(cellWidth - 1) { s[x0 + c * cellWidth + k, y] = cell }
            }
            let (text, style) = beliefWords(DigitReading(p, notADigitClass: notADigit))
            let wx = x0 + columns * cellWidth
            if wx < r.maxX { s.put(wx, y, text, style, maxWidth: r.maxX - wx) }
        }
    }

    /// What one stroke's reading said, worded and styled as the prediction panel does.
    func beliefWords(_ r: DigitReading) -> (String, Style) {
        switch r.verdict {
        case .unsure?: return (r.unsureWording, theme.unsure)
        case .notADigit?: return ("not a digit", theme.warn)
        case .digit?, nil: return ("\(r.digit)", theme.barTop)
        }
    }
}
