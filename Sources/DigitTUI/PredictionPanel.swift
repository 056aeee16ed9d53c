import DigitData

/// The prediction panel for a reading: its title, the big digit and the bars say
/// the verdict in colour and in words, so that monochrome says it too.
/// - digit (or a model without a verdict): the digit, its probability, the bars;
/// - unsure: "unsure: 5 or 9?" — the two most likely digits, both bars lit;
/// - not a digit: "not a digit" where the digit would be, the digit bars dimmed.
/// A verdict model's "not a digit" output gets its own bar row (✗) where the panel
/// has a row to spare, else its probability under the big digit.
extension Renderer {
    func drawReading(_ reading: DigitReading, _ s: Surface, _ r: Rect) {
        let inner = r.inset(1)
        let p = reading.probabilities, top = reading.digit, verdict = reading.verdict
        func pct(_ v: Float) -> String { "\(String(format2: Double(v) * 100)) %" }
        let ranked = reading.ranked
        let lit: Set<Int>
        let titles: [String]
        let accent: Style
        switch verdict {
        case .unsure?:
            lit = Set(ranked.prefix(2))
            titles = ["unsure: \(reading.unsureWording) (\(ranked.prefix(2).map { pct(p[$0]) }.joined(separator: " / ")))",
                      "unsure: \(reading.unsureWording)", reading.unsureWording]
            accent = theme.unsure
        case .notADigit?:
            lit = []
            titles = ["not a digit (\(pct(reading.notADigitProbability!)))", "not a digit"]
            accent = theme.warn
        case .digit?, nil:
            lit = [top]
            titles = ["prediction: \(top) (\(pct(p[top])))", "\(top) (\(pct(p[top])))"]
            accent = theme.barTop
        }
        s.box(r, title: TextFit.first(titles, width: r.width - 4), style: theme.frame, titleStyle: verdict == nil ? theme.heading : accent)
        // The big digit, or the words that replace it.
        let bx = inner.x + 1, by = inner.y + 1
        switch verdict {
        case .notADigit?:
            s.put(bx, by + 1, "not a", accent)
            s.put(bx, by + 2, "digit", accent)
            s.put(bx, by + 6, pct(reading.notADigitProbability!), accent)
        case .unsure?:
            Widgets.bigDigit(s, top, x: bx, y: by, style: accent)
            s.put(bx, by + 6, reading.unsureWording, accent)
        case .digit?, nil:
            Widgets.bigDigit(s, top, x: bx, y: by, style: accent)
            s.put(bx, by + 6, pct(p[top]), accent)
        }
        // The digit bars, then (where a row is left) the "not a digit" one.
        let barX = inner.x + 10
        let barWidth = max(4, inner.maxX - barX - 10)
        let rows = min(10, reading.digitCount)
        let offset = inner.height > 11 ? 1 : 0
        let dimmed = verdict == .notADigit
        for d in 0..<rows {
            let y = inner.y + d + offset
            let on = lit.contains(d)
            s.put(barX, y, "\(d)", on ? accent : (dimmed ? theme.dim : .plain))
            Widgets.bar(s, x: barX + 2, y: y, width: barWidth, fraction: p[d], style: on ? accent : (dimmed ? theme.dim : theme.bar), track: theme.dim)
            s.put(barX + 3 + barWidth, y, (String(format2: Double(p[d]) * 100) + "%").leftPadding(7), on ? accent : theme.dim)
        }
        guard let none = reading.notADigitProbability else { return }
        let y = inner.y + rows + offset
        if y < inner.maxY {
            let st = dimmed ? accent : theme.bar
            s.put(barX, y, "✗", dimmed ? accent : .plain)
            Widgets.bar(s, x: barX + 2, y: y, width: barWidth, fraction: none, style: st, track: theme.dim)
            s.put(barX + 3 + barWidth, y, (String(format2: Double(none) * 100) + "%").leftPadding(7), dimmed ? accent : theme.dim)
        } else if verdict != .notADigit {
            // No row to spare (the compact layout): the probability under the big digit.
            // One column short of the bars' labels, so "✗33.81 %" never touches the "9".
            s.put(bx, by + 8, "✗" + pct(none), theme.dim, maxWidth: 8)
        }
    }
}

extension Theme {
    /// An unsure reading: neither the digit's amber nor the warning's red.
    public var unsure: Style { color ? Style(fg: 177, bold: true) : Style(bold: true) }
}
