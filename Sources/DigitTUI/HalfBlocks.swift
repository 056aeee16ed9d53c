/// The compact layout's canvas: 28×28 pixels in 28 columns × 14 rows, each cell
/// showing two pixels, one above the other.
enum HalfBlocks {
    /// The cell for a pixel pair. With colour, "▀" in the top pixel's grey on the
    /// bottom pixel's grey: both pixels keep their exact grey levels.
    /// Monochrome (NO_COLOR, TERM=vt100) has one glyph and no second colour per
    /// cell, and a shade character for the pair's average would blur the stroke's
    /// shape over two rows; so each pixel is ink or not, and the glyph says which
    /// ("█" both, "▀" top, "▄" bottom). A pixel counts as ink from half-inked on:
    /// for the round brush that is exactly the pixels within its radius of the stroke.
    static func cell(top: Float, bottom: Float, theme: Theme) -> Cell {
        if theme.color {
            return Cell(scalar: "▀", style: Style(fg: theme.grey(top), bg: theme.grey(bottom)))
        }
        switch (top >= inkThreshold, bottom >= inkThreshold) {
        case (true, true): return Cell(scalar: "█")
        case (true, false): return Cell(scalar: "▀")
        case (false, true): return Cell(scalar: "▄")
        case (false, false): return Cell(scalar: " ")
        }
    }

    static let inkThreshold: Float = 0.5

    /// `cell` with one of its pixels marked as the brush outline's rim: that half
    /// in the pen's (or eraser's) colour; monochrome, a bold "·" over the cell.
    static func rim(onTopPixel top: Bool, of cell: Cell, eraser: Bool, theme: Theme) -> Cell {
        guard theme.color else { return Cell(scalar: "·", style: Style(bold: true)) }
        let mark: Int16 = eraser ? 203 : 214
        var style = cell.style
        if top { style.fg = mark } else { style.bg = mark }
        return Cell(scalar: "▀", style: style)
    }

    /// The keyboard cursor in its cell: a triangle pointing to the pixel it is on
    /// (up: the top one, down: the bottom one), hollow with the pen up, filled
    /// with the pen down; orange for the pen, red for the eraser, as in the full layout.
    static func cursor(onTopPixel top: Bool, penDown: Bool, eraser: Bool, ink: Float, theme: Theme) -> Cell {
        let scalar: Unicode.Scalar = penDown ? (top ? "▲" : "▼") : (top ? "△" : "▽")
        let style = theme.color ? Style(fg: eraser ? 203 : 214, bg: theme.grey(ink), bold: true) : Style(bold: true, reverse: true)
        return Cell(scalar: scalar, style: style)
    }
}
