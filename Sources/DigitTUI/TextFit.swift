/// Fitting text into a width without cutting a word in two: titles drop whole
/// parts, messages wrap at spaces, and a long word (a model spec) wraps after
/// one of its '-'. Only a word with no such place is cut.

/// `parts` joined with " · ", leaving out parts from the end (the least
/// important last) until the rest fits in `width`; the first part always stays,
/// cut with "…" only when even it alone is too wide.
func fitParts(_ parts: [String], _ width: Int) -> String {
    guard let first = parts.first else { return "" }
    var text = first
    for p in parts.dropFirst() {
        let longer = text + " · " + p
        guard longer.count <= width else { break }
        text = longer
    }
    if text.count > width { return width > 1 ? String(text.prefix(width - 1)) + "…" : String(text.prefix(max(0, width))) }
    return text
}

/// `text` in lines of at most `width` characters.
func wrap(_ text: String, _ width: Int) -> [String] {
    guard width > 4 else { return [text] }
    var lines: [String] = [], current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
        if !current.isEmpty, current.count + 1 + word.count > width { lines.append(current); current = "" }
        var rest = (current.isEmpty ? "" : current + " ") + word
        while rest.count > width {
            // Break after the last '-' that fits (not at the very start), else cut.
            let head = rest.prefix(width)
            let cut = head.lastIndex(of: "-").map { rest.index(after: $0) }
            let at = cut.flatMap { rest.distance(from: rest.startIndex, to: $0) > 1 ? $0 : nil } ?? head.endIndex
            lines.append(String(rest[..<at]))
            rest = String(rest[at...])
        }
        current = rest
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
}

/// `items` in lines of at most `width` characters, separated by ", " (none
/// after the first item, a heading), breaking only between items.
func pack(_ items: [String], _ width: Int) -> [String] {
    var lines: [String] = [], current = ""
    for (i, item) in items.enumerated() {
        let sep = current.isEmpty ? "" : (i == 1 ? " " : ", ")
        if !current.isEmpty, current.count + sep.count + item.count > width {
            lines.append(current + (i > 1 ? "," : ""))
            current = item
        } else {
            current += sep + item
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// A message's box on a screen: as wide as its longest line (within the
/// screen), its lines wrapped to that width, and as many shown as fit; the rest
/// scroll. One computation for the renderer and for the keys that scroll it.
struct MessageBox {
    let width: Int, lines: [String], visible: Int

    init(_ text: [String], screenWidth: Int, screenHeight: Int) {
        width = max(0, min(screenWidth - 4, max(40, (text.map(\.count).max() ?? 0) + 4)))
        let w = width
        lines = text.flatMap { wrap($0, w - 4) }
        visible = max(1, min(screenHeight - 6, lines.count))
    }

    /// The first line shown when scrolled to the end.
    var lastScroll: Int { max(0, lines.count - visible) }
}
