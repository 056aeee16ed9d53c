import ConvNet
import DigitData

extension FeatureMap {
    /// One channel's extremes (the per-channel colour scale).
    func range(channel c: Int) -> (lo: Float, hi: Float) {
        var lo = Float.infinity, hi = -Float.infinity
        for i in stride(from: c, to: values.count, by: channels) { lo = min(lo, values[i]); hi = max(hi, values[i]) }
        return lo <= hi ? (lo, hi) : (0, 0)
    }

    /// The colour scale of channel `c`: its own, or the layer's.
    func scale(channel c: Int, perChannel: Bool) -> (lo: Float, range: Float) {
        let (lo, hi) = perChannel ? range(channel: c) : (minimum, maximum)
        return (lo, max(hi - lo, 1e-6))
    }
}

/// The explorer's views (NetworkExplorer.swift has its state and geometry).
extension Renderer {
    /// The lit field's tint: ink brighter, paper darker, so the strokes still read.
    func lit(_ v: Float) -> Style { theme.color ? Style(fg: 16, bg: v >= 0.5 ? 229 : 100) : Style(reverse: true) }

    /// The feature-map panel: the tiles, or the enlarged channel with its kernel, or the dense view.
    func drawLowerMaps(_ app: App, _ s: Surface, _ r: Rect) {
        if app.explorer.denseView { return drawDense(app, s, r) }
        let names = app.model.convLayerNames
        guard let ch = app.explorer.channel, let reading = app.reading, names.indices.contains(app.selectedLayer),
              app.selectedLayer < reading.maps.count, ch < reading.maps[app.selectedLayer].channels else { return drawMaps(app, s, r) }
        drawEnlarged(app, reading.maps[app.selectedLayer], channel: ch, s, r)
    }

    func drawEnlarged(_ app: App, _ map: FeatureMap, channel ch: Int, _ s: Surface, _ r: Rect) {
        let g = EnlargedMap(height: map.height, width: map.width, panel: r)
        let inner = r.inset(1)
        s.box(r, title: TextFit.join(["\(map.name) channel \(ch + 1) of \(map.channels)", "\(map.height)×\(map.width)", "Esc: all channels"],
                                     width: r.width - 6, dropping: [1, 2]), style: theme.frame, titleStyle: theme.heading)
        let unit = app.explorer.unit
        let header = unit.map { "unit (\($0.x + 1), \($0.y + 1)): its field is lit" } ?? "click a unit: the canvas lights what it sees"
        s.put(inner.x + 1, inner.y, TextFit.first([header, unit.map { "unit (\($0.x + 1), \($0.y + 1))" } ?? "click a unit"], width: inner.width - 2), theme.dim)
        let (lo, range) = map.scale(channel: ch, perChannel: app.explorer.perChannelScale)
        func value(_ b: (x: Int, y: Int)) -> Float {
            var sum: Float = 0, n: Float = 0
            for y in b.y..<min(map.height, b.y + g.downscale) { for x in b.x..<min(map.width, b.x + g.downscale) {
                sum += map.value(channel: ch, x: x, y: y); n += 1
            } }
            return (sum / max(n, 1) - lo) / range
        }
        func isLit(_ b: (x: Int, y: Int)) -> Bool {
            guard let u = unit else { return false }
            return u.x >= b.x && u.x < b.x + g.downscale && u.y >= b.y && u.y < b.y + g.downscale
        }
        let mark: Int16 = 51
        for row in 0..<g.area.height {
            for col in 0..<g.area.width {
                let top = g.block(column: col, halfRow: row * 2), bottom = g.block(column: col, halfRow: row * 2 + 1)
                guard let top else { continue }
                let (x, y) = (g.area.x + col, g.area.y + row)
                if theme.color {
                    let fg = isLit(top) ? mark : theme.heat(value(top))
                    let bg = bottom.map { isLit($0) ? mark : theme.heat(value($0)) } ?? -1
                    s[x, y] = Cell(scalar: "▀", style: Style(fg: fg, bg: bg))
                } else {
                    let v = bottom.map { (value(top) + value($0)) / 2 } ?? value(top)
                    let lit = isLit(top) || bottom.map(isLit) == true
                    s[x, y] = Cell(scalar: lit ? "◆" : theme.shade(v), style: lit ? Style(bold: true) : .plain)
                }
            }
        }
        drawKernel(app, channel: ch, s, g.kernelArea)
    }

    /// The filter that made the channel: its k×k weights for a first layer, else
    /// the input channels it weighs most (by Σ|w|), as many as fit. Red positive,
    /// blue negative, each filter on its own scale; monochrome, a sign and a shade.
    func drawKernel(_ app: App, channel ch: Int, _ s: Surface, _ r: Rect) {
        guard r.width >= 8, r.height >= 2, let li = app.selectedConvLayer, let conv = app.model.network.layers[li] as? Conv2D else { return }
        let k = conv.kernel, inputs = conv.inputShape.c
        let all = conv.weight.exported()                    // [out, in, kh, kw]
        let filter = Array(all[(ch * inputs * k * k)..<((ch + 1) * inputs * k * k)])
        let peak = max(filter.reduce(0) { max($0, abs($1)) }, 1e-12)
        let strength = (0..<inputs).map { i in filter[(i * k * k)..<((i + 1) * k * k)].reduce(0) { $0 + abs($1) } }
        let order = (0..<inputs).sorted { strength[$0] > strength[$1] }
        let slotWidth = 2 * k + 1, slotHeight = k + 1
        let perRow = max(1, (r.width + 1) / slotWidth), rows = max(0, (r.height - 1) / slotHeight)
        let shown = min(inputs, perRow * rows)
        let titles = inputs == 1 ? ["kernel \(k)×\(k)"]
            : ["kernel \(k)×\(k): strongest \(shown) of \(inputs) inputs", "\(k)×\(k): strongest \(shown) of \(inputs)", "kernel \(k)×\(k)"]
        s.put(r.x, r.y, TextFit.first(titles, width: r.width), theme.heading)
        for (slot, input) in order.prefix(shown).enumerated() {
            let ox = r.x + (slot % perRow) * slotWidth, oy = r.y + 1 + (slot / perRow) * slotHeight
            if inputs > 1 { s.put(ox, oy, "in \(input + 1)", theme.dim, maxWidth: 2 * k) }
            let top = oy + (inputs > 1 ? 1 : 0)
            for y in 0..<k {
                for x in 0..<k {
                    let w = filter[(input * k + y) * k + x] / peak
                    if theme.color {
                        let c = EvidenceStyle.colour(w) ?? 236
                        s.put(ox + 2 * x, top + y, "  ", Style(bg: c))
                    } else {
                        s.put(ox + 2 * x, top + y, String(EvidenceStyle.sign(w) ?? " ") + String(theme.shade(abs(w))))
                    }
                }
            }
        }
    }

    /// The dense layer before the output (one cell per unit, its activation on
    /// the heat ramp) and the logits, largest first.
    func drawDense(_ app: App, _ s: Surface, _ r: Rect) {
        guard let view = app.reading?.dense else {
            s.box(r, title: "dense layers", style: theme.frame, titleStyle: theme.heading)
            let text = app.reading == nil ? "draw a digit to see the last layers" : "this model's output layer is not dense"
            s.put(r.x + 2, r.y + 2, TextFit.clip(text, width: r.width - 4), theme.dim)
            return
        }
        s.box(r, title: TextFit.join(["\(view.name): \(view.hidden.count) values → logits", "d or Esc: back"], width: r.width - 6, dropping: [1]),
              style: theme.frame, titleStyle: theme.heading)
        let inner = r.inset(1)
        // The logits: a column at the right, "7  12.31", largest first.
        let texts = view.logits.map { Format.fixed(Double($0), 2) }
        let logitWidth = 4 + (texts.map(\.count).max() ?? 4)
        let order = view.logits.indices.sorted { view.logits[$0] > view.logits[$1] }
        let lx = inner.maxX - logitWidth - 1
        s.put(lx, inner.y, "logits", theme.heading)
        for (i, c) in order.prefix(max(0, inner.height - 1)).enumerated() {
            let style = i == 0 ? theme.barTop : theme.dim
            // A verdict model's last output is "not a digit": ✗, as the bars call it.
            let name = c == app.model.notADigitClass ? "✗" : "\(c)"
            s.put(lx, inner.y + 1 + i, name.leftPadding(2) + "  " + texts[c].leftPadding(logitWidth - 4), style)
        }
        // The units: two columns each where they fit, else one.
        let room = Rect(x: inner.x + 1, y: inner.y + 1, width: max(0, lx - inner.x - 3), height: max(0, inner.height - 1))
        let n = view.hidden.count
        let cellWidth = (room.width / 2) * room.height >= n ? 2 : 1
        let perRow = max(1, room.width / cellWidth), capacity = perRow * room.height
        let peak = max(view.hidden.max() ?? 0, 1e-6), low = min(view.hidden.min() ?? 0, 0)
        s.put(inner.x + 1, inner.y, TextFit.first([n > capacity ? "units 1–\(capacity) of \(n)" : "\(n) units, brightest = most active",
                                                   "\(min(n, capacity)) of \(n)"], width: room.width), theme.dim)
        for i in 0..<min(n, capacity) {
            let v = (view.hidden[i] - low) / (peak - low)
            let (x, y) = (room.x + (i % perRow) * cellWidth, room.y + i / perRow)
            if theme.color { s.put(x, y, String(repeating: " ", count: cellWidth), Style(bg: theme.heat(v))) }
            else { s.put(x, y, String(repeating: String(theme.shade(v)), count: cellWidth)) }
        }
    }

    /// The lit unit's field on the canvas and on "network sees".
    func drawLitField(_ app: App, _ s: Surface, _ l: Layout) {
        guard let (canvas, field) = app.litField else { return }
        let c = app.canvas
        if let f = canvas {
            for y in f.y..<(f.y + f.height) {
                for x in f.x..<(f.x + f.width) {
                    if l.mode == .full {
                        let (cx, cy) = (l.canvas.x + 1 + x * 2, l.canvas.y + 1 + y)
                        for dx in 0..<2 { var cell = s[cx + dx, cy]; cell.style = mergeLit(cell.style, c[x, y]); s[cx + dx, cy] = cell }
                    } else {
                        let (cx, cy) = (l.canvas.x + 1 + x, l.canvas.y + 1 + y / 2)
                        var cell = s[cx, cy]
                        if theme.color { if y % 2 == 0 { cell.style.fg = lit(c[x, y]).bg } else { cell.style.bg = lit(c[x, y]).bg } }
                        else { cell.style.reverse = true }
                        s[cx, cy] = cell
                    }
                }
            }
        }
        guard let sees = l.sees, let reading = app.reading else { return }
        for y in field.y..<(field.y + field.height) {
            for x in field.x..<(field.x + field.width) {
                let (cx, cy) = (sees.x + 1 + x, sees.y + 1 + y / 2)
                guard sees.inset(1).contains(cx, cy) else { continue }
                var cell = s[cx, cy]
                let v = reading.normalized[y * 28 + x]
                if theme.color { if y % 2 == 0 { cell.style.fg = lit(v).bg } else { cell.style.bg = lit(v).bg } }
                else { cell.style.reverse = true }
                s[cx, cy] = cell
            }
        }
    }

    private func mergeLit(_ style: Style, _ v: Float) -> Style {
        guard theme.color else { var st = style; st.reverse = true; return st }
        var st = style; st.bg = lit(v).bg; return st
    }
}
