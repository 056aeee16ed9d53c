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

/// `text` in lines of at most `width` characters. A line that fits is kept as it
/// is, leading spaces included (a table's indented header stays over its columns).
func wrap(_ text: String, _ width: Int) -> [String] {
    guard width > 4, text.count > width else { return [text] }
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
        width = max(0, min(screenWidth - 4, max(40, (text.map { $0.replacingOccurrences(of: "\t", with: "").count }.max() ?? 0) + 4)))
        let w = width
        lines = text.flatMap { MessageBox.wrapHanging($0, w - 4) }
        visible = max(1, min(screenHeight - 6, lines.count))
    }

    /// A line wrapped to `width`; where it has a tab (the help's "keys\tdescription"),
    /// the tab goes and the lines wrapped from it start under the text after it.
    static func wrapHanging(_ line: String, _ width: Int) -> [String] {
        guard let tab = line.firstIndex(of: "\t") else { return wrap(line, width) }
        let head = String(line[..<tab]), rest = String(line[line.index(after: tab)...])
        guard width - head.count >= 20 else { return wrap(head + rest, width) }
        let body = wrap(rest, width - head.count)
        let indent = String(repeating: " ", count: head.count)
        return body.enumerated().map { ($0.offset == 0 ? head : indent) + $0.element }
    }

    /// The first line shown when scrolled to the end.
    var lastScroll: Int { max(0, lines.count - visible) }
}

/// Fitting where the parts' importance is not their order on screen (fitParts
/// drops from the end): which parts go first is said, alternatives are tried
/// longest first, and a clip ends at a word.
enum TextFit {
    /// Joins the non-empty `parts` with " · ", leaving out the parts listed in
    /// `dropOrder` (indices into `parts`, first dropped first) until the line fits
    /// `width`. If what is left still does not fit, it is clipped at a word (`clip`).
    static func join(_ parts: [String], width: Int, dropping dropOrder: [Int] = [], separator: String = " · ") -> String {
        var kept = parts.indices.filter { !parts[$0].isEmpty }
        func text() -> String { kept.map { parts[$0] }.joined(separator: separator) }
        for i in dropOrder where text().count > width { kept.removeAll { $0 == i } }
        return clip(text(), width: width)
    }

    /// The first of `candidates` (longest first) that fits `width`, else the
    /// last one clipped at a word.
    static func first(_ candidates: [String], width: Int) -> String {
        candidates.first { $0.count <= width } ?? clip(candidates.last ?? "", width: width)
    }

    /// `text` if it fits, else its longest start that ends at a word and fits
    /// with "…" after it; a single word longer than `width` is cut (nothing else fits).
    static func clip(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        let room = width - 1      // for the "…"
        var end = text.startIndex, i = text.startIndex, count = 0
        while i < text.endIndex, count < room {
            let next = text.index(after: i)
            count += 1
            if next == text.endIndex || text[next] == " " { end = next }
            i = next
        }
        var head = String(text[..<end])
        while head.last == " " || head.last == "·" || head.last == "," || head.last == ":" { head.removeLast() }
        return head.isEmpty ? String(text.prefix(room)) + "…" : head + "…"
    }
}

/// The footer's key hints laid out in one row of `width` columns, denser as the
/// row gets narrower: two spaces between items ("F1 help  F2 retrain"), then one;
/// then, one space apart, without the items in `droppable` (in that order: what
/// the menu also offers); then key and label joined as htop does ("F1help
/// F2retrain"), leaving out the droppable items and then others from the end,
/// always keeping the last one (quit).
struct FooterLayout {
    /// Hint `index` at column `x`; `label` starts with the space after the key, if any.
    struct Placed: Equatable { var index: Int, x: Int, key: String, label: String }
    let items: [Placed]

    init(_ hints: [(key: String, label: String)], width: Int, droppable: [Int] = []) {
        typealias Style = (gap: Int, joiner: String)
        let spaced: Style = (1, " "), joined: Style = (1, "")
        func length(_ indices: [Int], _ style: Style) -> Int {
            indices.reduce(0) { $0 + hints[$1].key.count + style.joiner.count + hints[$1].label.count } + style.gap * max(0, indices.count - 1)
        }
        /// `indices` less the droppable ones (in order), then others from the end but the last, until they fit.
        func dropping(_ style: Style, otherwise: Bool) -> [Int] {
            var kept = Array(hints.indices)
            for i in droppable where length(kept, style) > width { kept.removeAll { $0 == i } }
            while otherwise, kept.count > 1, length(kept, style) > width { kept.remove(at: kept.count - 2) }
            return kept
        }
        let all = Array(hints.indices)
        var chosen = all, style: Style = (2, " ")
        if length(all, style) > width {
            style = spaced
            chosen = dropping(spaced, otherwise: false)
            if length(chosen, spaced) > width { style = joined; chosen = dropping(joined, otherwise: true) }
        }
        var x = 0, placed: [Placed] = []
        for i in chosen {
            let end = x + hints[i].key.count + style.joiner.count + hints[i].label.count
            guard end <= width else { break }
            placed.append(Placed(index: i, x: x, key: hints[i].key, label: style.joiner + hints[i].label))
            x = end + style.gap
        }
        items = placed
    }
}
