import DigitData

/// The evidence overlay: the canvas's ink coloured by which way each pixel
/// pushed the reading — red toward the answer, blue toward the runner-up
/// (`Evidence`: gradient × input of the margin between the two). Monochrome,
/// "+" and "−" say the same.
extension App {
    func toggleEvidence() {
        showEvidence.toggle()
        canvasChanged = true   // the next update computes it (or stops computing it)
    }

    /// The evidence on the canvas's pixels, scaled to [−1, 1] by its largest
    /// value; nil when the overlay is off or there is nothing read.
    public var canvasEvidence: (values: [Float], top: String, runnerUp: String)? {
        guard showEvidence, let r = reading, let e = r.evidence else { return nil }
        let v = e.onSource(r.placement, width: Canvas.size, height: Canvas.size)
        // A verdict model's last output is "not a digit", not a digit called 10.
        let name = { (c: Int) in c == r.notADigitClass ? "✗" : String(c) }
        let peak = v.reduce(0) { max($0, abs($1)) }
        guard peak > 0 else { return (v, name(e.top), name(e.runnerUp)) }
        return (v.map { $0 / peak }, name(e.top), name(e.runnerUp))
    }
}

/// How an evidence value is shown: below `faint` of the peak, not at all (the
/// canvas's own grey shows); from `strong`, in the ramp's last steps (and
/// doubled signs in monochrome).
enum EvidenceStyle {
    static let faint: Float = 0.06, strong: Float = 0.4
    /// Red for the answer, blue for the runner-up (xterm-256), faint to strong.
    static let red: [Int16] = [52, 88, 124, 160, 196]
    static let blue: [Int16] = [17, 18, 19, 20, 21]

    static func colour(_ v: Float) -> Int16? {
        guard abs(v) >= faint else { return nil }
        let ramp = v > 0 ? red : blue
        return ramp[min(ramp.count - 1, Int(abs(v) * Float(ramp.count)))]
    }

    static func sign(_ v: Float) -> Unicode.Scalar? {
        guard abs(v) >= faint else { return nil }
        return v > 0 ? "+" : "−"
    }

    /// The canvas box's title: what the colours (or signs) mean, as long as fits.
    static func title(top: String, runnerUp: String, color: Bool, width: Int) -> String {
        let (up, down) = color ? ("red", "blue") : ("+", "−")
        return TextFit.first(["draw · why: \(up) for \(top), \(down) for \(runnerUp)", "why: \(up) \(top), \(down) \(runnerUp)",
                              "\(up) \(top) \(down) \(runnerUp)"], width: width)
    }
}

extension Renderer {
    /// Over the full layout's canvas (two columns per pixel).
    func drawEvidence(_ app: App, _ s: Surface, _ r: Rect) {
        guard let (v, top, runnerUp) = app.canvasEvidence else { return }
        s.box(r, title: EvidenceStyle.title(top: top, runnerUp: runnerUp, color: theme.color, width: r.width - 6),
              style: theme.frame, titleStyle: theme.heading)
        for y in 0..<Canvas.size {
            for x in 0..<Canvas.size {
                let e = v[y * Canvas.size + x]
                let (cx, cy) = (r.x + 1 + x * 2, r.y + 1 + y)
                if theme.color {
                    guard let c = EvidenceStyle.colour(e) else { continue }
                    s[cx, cy] = Cell(scalar: " ", style: Style(bg: c)); s[cx + 1, cy] = Cell(scalar: " ", style: Style(bg: c))
                } else {
                    guard let sign = EvidenceStyle.sign(e) else { continue }
                    let strong = abs(e) >= EvidenceStyle.strong
                    // Strong: the sign twice; faint: the sign beside the pixel's own shade, so the stroke still reads.
                    let second = strong ? sign : theme.shade(app.canvas[x, y])
                    s[cx, cy] = Cell(scalar: sign, style: Style(bold: strong)); s[cx + 1, cy] = Cell(scalar: second, style: Style(bold: strong))
                }
            }
        }
    }

    /// Over the compact layout's half-block canvas (two pixels per cell): with
    /// colour each half keeps its own; monochrome, the pair's sum gives the sign.
    func drawHalfBlockEvidence(_ app: App, _ s: Surface, _ r: Rect) {
        guard let (v, top, runnerUp) = app.canvasEvidence else { return }
        s.box(r, title: EvidenceStyle.title(top: top, runnerUp: runnerUp, color: theme.color, width: r.width - 6),
              style: theme.frame, titleStyle: theme.heading)
        for row in 0..<(Canvas.size / 2) {
            for x in 0..<Canvas.size {
                let a = v[row * 2 * Canvas.size + x], b = v[(row * 2 + 1) * Canvas.size + x]
                let (cx, cy) = (r.x + 1 + x, r.y + 1 + row)
                if theme.color {
                    let ca = EvidenceStyle.colour(a), cb = EvidenceStyle.colour(b)
                    guard ca != nil || cb != nil else { continue }
                    let old = s[cx, cy].style
                    s[cx, cy] = Cell(scalar: "▀", style: Style(fg: ca ?? old.fg, bg: cb ?? old.bg))
                } else if let sign = EvidenceStyle.sign(abs(a) > abs(b) ? a : b) {
                    s[cx, cy] = Cell(scalar: sign, style: Style(bold: max(abs(a), abs(b)) >= EvidenceStyle.strong))
                }
            }
        }
    }
}
