/// What one screen cell looks like: colours are xterm-256 indices, -1 = default.
public struct Style: Hashable, Sendable {
    public var fg: Int16 = -1, bg: Int16 = -1
    public var bold = false, reverse = false, dim = false
    public init(fg: Int16 = -1, bg: Int16 = -1, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.reverse = reverse; self.dim = dim
    }
    public static let plain = Style()
}

public struct Cell: Equatable, Sendable {
    public var scalar: Unicode.Scalar = " "
    public var style = Style.plain
}

public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    public func contains(_ px: Int, _ py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public func inset(_ d: Int) -> Rect { Rect(x: x + d, y: y + d, width: max(0, width - 2 * d), height: max(0, height - 2 * d)) }
}

/// A screen's worth of cells that the renderer paints and a backend shows:
/// ncurses in the app, plain text in tests. Drawing outside is clipped.
public final class Surface {
    public let width: Int, height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0 && x < width && y >= 0 && y < height { cells[y * width + x] = newValue } }
    }

    public func put(_ x: Int, _ y: Int, _ text: String, _ style: Style = .plain, maxWidth: Int? = nil) {
        guard y >= 0 && y < height else { return }
        var cx = x
        let limit = maxWidth.map { x + $0 } ?? width
        for s in text.unicodeScalars {
            if cx >= limit || cx >= width { break }
            if cx >= 0 { cells[y * width + cx] = Cell(scalar: s, style: style) }
            cx += 1
        }
    }

    public func fill(_ r: Rect, _ scalar: Unicode.Scalar = " ", _ style: Style = .plain) {
        for y in max(0, r.y)..<min(height, r.maxY) where r.width > 0 {
            for x in max(0, r.x)..<min(width, r.maxX) { cells[y * width + x] = Cell(scalar: scalar, style: style) }
        }
    }

    /// A single-line box with an optional title in its top edge.
    public func box(_ r: Rect, title: String? = nil, style: Style = .plain, titleStyle: Style? = nil) {
        guard r.width >= 2 && r.height >= 2 else { return }
        for x in (r.x + 1)..<(r.maxX - 1) { self[x, r.y] = Cell(scalar: "─", style: style); self[x, r.maxY - 1] = Cell(scalar: "─", style: style) }
        for y in (r.y + 1)..<(r.maxY - 1) { self[r.x, y] = Cell(scalar: "│", style: style); self[r.maxX - 1, y] = Cell(scalar: "│", style: style) }
        self[r.x, r.y] = Cell(scalar: "┌", style: style); self[r.maxX - 1, r.y] = Cell(scalar: "┐", style: style)
        self[r.x, r.maxY - 1] = Cell(scalar: "└", style: style); self[r.maxX - 1, r.maxY - 1] = Cell(scalar: "┘", style: style)
        if let t = title, r.width > 4 { put(r.x + 2, r.y, " \(t) ", titleStyle ?? style, maxWidth: r.width - 4) }
    }

    /// The text of each row (styles dropped), for tests and captures.
    public var lines: [String] {
        (0..<height).map { y in String(String.UnicodeScalarView(cells[(y * width)..<((y + 1) * width)].map(\.scalar))) }
    }
}
