/// Small drawing routines shared by the panels: big digits, bars, heatmaps, charts.
enum Widgets {
    /// A 3×5 font for the predicted digit, drawn with two columns per dot.
    static let font: [[String]] = [
        ["###", "#.#", "#.#", "#.#", "###"], [".#.", "##.", ".#.", ".#.", "###"],
        ["###", "..#", "###", "#..", "###"], ["###", "..#", "###", "..#", "###"],
        ["#.#", "#.#", "###", "..#", "..#"], ["###", "#..", "###", "..#", "###"],
        ["###", "#..", "###", "#.#", "###"], ["###", "..#", ".#.", ".#.", ".#."],
        ["###", "#.#", "###", "#.#", "###"], ["###", "#.#", "###", "..#", "###"],
    ]

    static func bigDigit(_ s: Surface, _ d: Int, x: Int, y: Int, style: Style) {
        guard (0...9).contains(d) else { return }
        for (r, row) in font[d].enumerated() {
            for (c, ch) in row.enumerated() where ch == "#" {
                s.put(x + c * 2, y + r, "██", style)
            }
        }
    }

    /// A horizontal bar of `width` cells filled to `fraction`, in eighths.
    static func bar(_ s: Surface, x: Int, y: Int, width: Int, fraction: Float, style: Style, track: Style) {
        let eighths = Int((max(0, min(1, fraction)) * Float(width * 8)).rounded())
        let partial: [Unicode.Scalar] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        for i in 0..<width {
            let filled = eighths - i * 8
            if filled >= 8 { s[x + i, y] = Cell(scalar: "█", style: style) }
            else if filled > 0 { s[x + i, y] = Cell(scalar: partial[filled], style: style) }
            else { s[x + i, y] = Cell(scalar: "·", style: track) }
        }
    }

    /// A grey image drawn with upper-half blocks: each cell shows two pixel rows
    /// (foreground = top, background = bottom). Monochrome: one shade per cell.
    static func greyImage(_ s: Surface, _ theme: Theme, pixels: (Int, Int) -> Float, width: Int, height: Int,
                          x: Int, y: Int, color: (Float) -> Int16) {
        for row in 0..<((height + 1) / 2) {
            for col in 0..<width {
                let top = pixels(col, row * 2)
                let bottom = row * 2 + 1 < height ? pixels(col, row * 2 + 1) : 0
                if theme.color {
                    s[x + col, y + row] = Cell(scalar: "▀", style: Style(fg: color(top), bg: color(bottom)))
                } else {
                    s[x + col, y + row] = Cell(scalar: theme.shade((top + bottom) / 2))
                }
            }
        }
    }

    /// A line chart in braille dots (2×4 per cell) of `values` against their
    /// index, scaled to [lo, hi]. Returns nothing; draws into the rectangle.
    static func brailleChart(_ s: Surface, _ r: Rect, points: [(x: Double, y: Double)], xMax: Double, lo: Double, hi: Double, style: Style) {
        guard r.width > 0, r.height > 0, !points.isEmpty, hi > lo, xMax > 0 else { return }
        let dotsW = r.width * 2, dotsH = r.height * 4
        var grid = [UInt8](repeating: 0, count: r.width * r.height)
        let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]   // [row][col]
        func plot(_ dx: Int, _ dy: Int) {
            guard dx >= 0, dx < dotsW, dy >= 0, dy < dotsH else { return }
            grid[(dy / 4) * r.width + dx / 2] |= bits[dy % 4][dx % 2]
        }
        func dot(_ p: (x: Double, y: Double)) -> (Int, Int) {
            let dx = Int((p.x / xMax * Double(dotsW - 1)).rounded())
            let f = (min(max(p.y, lo), hi) - lo) / (hi - lo)
            return (dx, Int(((1 - f) * Double(dotsH - 1)).rounded()))
        }
        var prev = dot(points[0])
        plot(prev.0, prev.1)
        for p in points.dropFirst() {
            let d = dot(p)
            let steps = max(abs(d.0 - prev.0), abs(d.1 - prev.1), 1)
            for i in 1...steps {
                plot(prev.0 + (d.0 - prev.0) * i / steps, prev.1 + (d.1 - prev.1) * i / steps)
            }
            prev = d
        }
        for row in 0..<r.height {
            for col in 0..<r.width where grid[row * r.width + col] != 0 {
                s[r.x + col, r.y + row] = Cell(scalar: Unicode.Scalar(0x2800 + UInt32(grid[row * r.width + col]))!, style: style)
            }
        }
    }
}
