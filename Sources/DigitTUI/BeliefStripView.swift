import DigitData

/// The belief strip: one row per stroke of the drawing (the latest at the bottom),
/// one column per class, each cell as bright as the class's probability after that
/// stroke (colour: the heat ramp; monochrome: shade characters), then what the
/// model said in words ("7", "5 or 9?", "not a digit"), so that it reads without colour.
extension Renderer {
    func drawBelief(_ app: App, _ s: Surface, _ r: Rect) {
        let rows = app.belief.rows
        let inner = r.inset(1)
        let more = rows.count > inner.height - 1 ? " · last \(inner.height - 1) of \(rows.count)" : ""
        s.box(r, title: TextFit.first(["belief after each stroke" + more, "belief after each stroke", "belief"], width: r.width - 4),
              style: theme.frame, titleStyle: theme.heading)
        guard !rows.isEmpty else {
            let hint = "each stroke adds a row: how likely each class is after it (c clears, u takes one back)"
            for (i, line) in wrap(hint, inner.width - 2).prefix(inner.height).enumerated() { s.put(inner.x + 1, inner.y + i, line, theme.dim) }
            return
        }
        let notADigit = app.model.notADigitClass
        // A stroke number, then the classes at three columns each (two where narrow), then the words.
        let number = 4, words = 12
        let cellWidth = number + rows[0].count * 3 + words <= inner.width - 1 ? 3 : 2
        let columns = min(rows[0].count, max(0, (inner.width - 1 - number) / cellWidth))
        let x0 = inner.x + 1 + number
        s.put(inner.x + 1, inner.y, "#", theme.dim)
        for c in 0..<columns {
            s.put(x0 + c * cellWidth, inner.y, c == notADigit ? "✗" : "\(c)", theme.dim)
        }
        let shown = rows.suffix(max(0, inner.height - 1))
        let first = rows.count - shown.count
        for (i, p) in shown.enumerated() {
            let y = inner.y + 1 + i
            s.put(inner.x + 1, y, "\(first + i + 1)".leftPadding(number - 1), theme.dim)
            for c in 0..<columns {
                let v = p[c]
                let cell = theme.color ? Cell(scalar: " ", style: Style(bg: theme.heat(v)))
                                       : (v < 0.02 ? Cell(scalar: "·", style: theme.dim) : Cell(scalar: theme.shade(max(v, 0.125))))
                for k in 0..<(cellWidth - 1) { s[x0 + c * cellWidth + k, y] = cell }
            }
            let reading = DigitReading(p, notADigitClass: notADigit)
            let (text, style) = beliefWords(reading)
            let wx = x0 + columns * cellWidth
            if wx < inner.maxX { s.put(wx, y, text, style, maxWidth: inner.maxX - wx) }
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
