import ConvNet
import DigitData

/// Paints the whole screen from the app's state. Never changes state.
public struct Renderer {
    public let theme: Theme
    public init(theme: Theme) { self.theme = theme }

    public func draw(_ app: App, into s: Surface) {
        s.fill(Rect(x: 0, y: 0, width: s.width, height: s.height))
        let l = app.layout
        if l.tooSmall {
            drawTooSmall(app, s, l)
            return
        }
        drawTitle(app, s, l.title)
        drawCanvas(app, s, l.canvas)
        let overflow = drawInfoAndBelief(app, s, l)
        drawPrediction(app, s, l.prediction)
        if let r = l.sees { drawSees(app, s, r) }
        drawLitField(app, s, l)
        if app.lowerView == .training, let t = app.training { drawTraining(t, s, l.lower) } else { drawLowerMaps(app, s, l.lower) }
        if let acc = app.trainedAccuracy { drawTrainingDone(app, acc, s, l.lower) }
        if let r = app.taughtReport { drawTaughtDone(r, s, l.lower) }
        if !overflow.isEmpty { drawNoticeBox(overflow, s, l.lower) }
        drawStatus(app, s, l.status)
        if let o = app.overlay { drawOverlay(o, app, s) }
    }

    func drawTooSmall(_ app: App, _ s: Surface, _ l: Layout) {
        var text = ["digits needs a window of at least \(Layout.minimumWidth)×\(Layout.minimumHeight);",
                    "this one is \(l.width)×\(l.height). Enlarge it, or press q to quit."]
        // Only the quit keys act here; the quit question is asked here too.
        if case .confirmQuit? = app.overlay { text = app.quitWouldLose + ["q again quits; enlarge the window to stay."] }
        // Wrapped at words: the message must read whole in any window.
        let lines = l.width >= text.map(\.count).max()! ? text : wrap(text.joined(separator: " "), l.width)
        let top = max(0, (l.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            s.put(max(0, (l.width - line.count) / 2), top + i, line, theme.warn)
        }
    }

    func drawTitle(_ app: App, _ s: Surface, _ r: Rect) {
        s.fill(r, " ", theme.title)
        let m = app.model
        // Parts left out first when the row is short: "no verdict", the accuracy, then the parameter count.
        let parts = [" digits", m.name, "\(Format.thousands(m.network.parameterCount)) parameters",
                     m.testAccuracy.map { "\(String(format2: $0 * 100)) % on the MNIST test set" } ?? "", app.unsavedModel ? "unsaved" : "",
                     m.notADigitClass == nil ? "no verdict" : ""]
        let text = TextFit.join(parts, width: r.width - 1, dropping: [5, 3, 2])
        s.put(r.x, r.y, text, theme.title, maxWidth: r.width)
        // The footer names F1 too: this one only where the title leaves room.
        let right = "F1 help "
        if text.count + 2 + right.count <= r.width { s.put(r.maxX - right.count, r.y, right, theme.title) }
    }

    func drawCanvas(_ app: App, _ s: Surface, _ r: Rect) {
        s.box(r, title: app.eraser ? "draw · eraser" : "draw", style: theme.frame, titleStyle: theme.heading)
        if app.layout.mode == .compact { return drawHalfBlockCanvas(app, s, r) }
        let c = app.canvas
        for y in 0..<Canvas.size {
            for x in 0..<Canvas.size {
                let v = c[x, y]
                let cell = theme.color ? Cell(scalar: " ", style: Style(bg: theme.grey(v))) : Cell(scalar: theme.shade(v))
                s[r.x + 1 + x * 2, r.y + 1 + y] = cell
                s[r.x + 2 + x * 2, r.y + 1 + y] = cell
            }
        }
        drawEvidence(app, s, r)
        if let centre = app.brushPreviewCentre {
            drawBrushOutline(app, s, r, centre)
        }
        if app.keyboardUsed {
            let cx = r.x + 1 + app.cursor.x * 2, cy = r.y + 1 + app.cursor.y
            let style = theme.color ? Style(fg: app.eraser ? 203 : 214, bg: theme.grey(c[app.cursor.x, app.cursor.y]), bold: true) : Style(bold: true, reverse: true)
            s.put(cx, cy, app.penDown ? "◆◆" : "[]", style)
        }
    }

    /// The pixels on the rim of the brush's footprint around `centre`.
    func brushRim(_ app: App, _ centre: (x: Float, y: Float)) -> [(x: Int, y: Int)] {
        let radius = app.canvas.brushRadius
        func covered(_ x: Int, _ y: Int) -> Bool {
            let dx = Float(x) + 0.5 - centre.x, dy = Float(y) + 0.5 - centre.y
            return (dx * dx + dy * dy).squareRoot() <= radius
        }
        let reach = Int(radius.rounded(.up)) + 1
        let cx = Int(centre.x), cy = Int(centre.y)
        var rim: [(x: Int, y: Int)] = []
        for y in (cy - reach)...(cy + reach) where y >= 0 && y < Canvas.size {
            for x in (cx - reach)...(cx + reach) where x >= 0 && x < Canvas.size && covered(x, y) {
                guard !(covered(x - 1, y) && covered(x + 1, y) && covered(x, y - 1) && covered(x, y + 1)) || radius < 1 else { continue }
                rim.append((x, y))
            }
        }
        return rim
    }

    /// The brush's footprint as dots on the pixels at its rim, over the ink.
    func drawBrushOutline(_ app: App, _ s: Surface, _ r: Rect, _ centre: (x: Float, y: Float)) {
        for (x, y) in brushRim(app, centre) {
            let style = theme.color ? Style(fg: app.eraser ? 203 : 214, bg: theme.grey(app.canvas[x, y]), bold: true) : Style(bold: true)
            s.put(r.x + 1 + x * 2, r.y + 1 + y, "··", style)
        }
    }

    /// The compact layout's canvas: one column and two pixel rows per cell.
    func drawHalfBlockCanvas(_ app: App, _ s: Surface, _ r: Rect) {
        let c = app.canvas
        for row in 0..<(Canvas.size / 2) {
            for x in 0..<Canvas.size {
                s[r.x + 1 + x, r.y + 1 + row] = HalfBlocks.cell(top: c[x, row * 2], bottom: c[x, row * 2 + 1], theme: theme)
            }
        }
        drawHalfBlockEvidence(app, s, r)
        if let centre = app.brushPreviewCentre {
            for (x, y) in brushRim(app, centre) {
                let cell = HalfBlocks.rim(onTopPixel: y % 2 == 0, of: s[r.x + 1 + x, r.y + 1 + y / 2], eraser: app.eraser, theme: theme)
                s[r.x + 1 + x, r.y + 1 + y / 2] = cell
            }
        }
        if app.keyboardUsed {
            let (x, y) = app.cursor
            s[r.x + 1 + x, r.y + 1 + y / 2] = HalfBlocks.cursor(onTopPixel: y % 2 == 0, penDown: app.penDown, eraser: app.eraser,
                                                               ink: c[x, y], theme: theme)
        }
    }

    /// The mode, hints and news under the canvas. Returns the news that do not
    /// fit there (a long notice in the full layout's two rows), to be shown whole
    /// in a box over the lower panel.
    @discardableResult
    func drawInfo(_ app: App, _ s: Surface, _ r: Rect) -> [(String, Style)] {
        guard r.height > 0 else { return [] }
        let width = r.width - 2
        /// A line wrapped at words where it is wider than the panel.
        func lines(_ text: String) -> [String] { text.count <= width ? [text] : wrap(text, width) }
        let mode = (app.eraser ? "eraser" : "pen") + (app.penDown ? " down" : "") + " · brush \(String(format2: Double(app.canvas.brushRadius) * 2)) px"
        let keys = ["keys:"] + Command.table.compactMap { c in c.hint.map { c.keyLabel + " " + $0 } }
        // In eraser mode the left button erases too (MouseDrawing).
        let mouse = app.eraser ? "mouse: both buttons erase (e: back to the pen)" : "mouse: left draws, right erases"
        var hints = [lines(mouse), pack(keys, width)]
        // Your samples' counts matter more than the key hints (the footer has the keys).
        if let yours = app.samples.summaryLine { hints.insert(lines(yours), at: 0) }
        var news: [(String, Style)] = []
        // The model was trained on MNIST's thin pen; a fat brush costs accuracy:
        // said beside the mode where it fits, else under it.
        let thick = " · thicker than the model reads well"
        let thickBeside = app.brushTooThick && mode.count + thick.count <= width
        if app.brushTooThick && !thickBeside { news += lines(String(thick.dropFirst(3))).map { ($0, theme.warn) } }
        if let t = app.training {
            let snap = t.snapshot
            var line = "training \(t.request.model): "
            switch snap.phase {
            case .loading: line += "loading MNIST…"
            case .training:
                if let p = snap.progress { line += "epoch \(p.epoch)/\(p.epochs) \(Int(Double(p.seen) / Double(max(p.total, 1)) * 100)) % · t \(app.lowerView == .training ? "hides" : "shows") it" }
            case .evaluating: line += "measuring on the test set…"
            case let .finished(a): line += "done, \(String(format2: a * 100)) %"
            default: break
            }
            news += lines(line).map { ($0, theme.accent) }
        }
        if let n = app.notice { news += wrap(n.text, width).map { ($0, n.isError ? theme.warn : theme.good) } }
        // The mode line, then the hints while everything fits (the last hint goes
        // first), then what is happening; the timing line (debug) keeps the last row.
        let room = r.height - (app.debug ? 1 : 0)
        while !hints.isEmpty, 1 + hints.joined().count + news.count > room { hints.removeLast() }
        // News are never cut: where they do not fit under the mode line, they go
        // whole into a box over the lower panel (drawNoticeBox) and the mode stays.
        let overflow = 1 + news.count > room ? news : []
        if !overflow.isEmpty { news = [] }
        let rows = [(mode, theme.heading)] + hints.joined().map { ($0, theme.dim) } + news
        for (i, (text, style)) in rows.prefix(max(0, room)).enumerated() {
            s.put(r.x + 1, r.y + i, text, style, maxWidth: width)
        }
        if thickBeside, room > 0 { s.put(r.x + 1 + mode.count, r.y, thick, theme.warn) }
        if app.debug {
            let dy = r.maxY - 1
            var candidates = ["stroke –"]
            if let p50 = app.latency.percentile(0.5), let p99 = app.latency.percentile(0.99) {
                let percentiles = "p50 \(String(format2: p50 * 1000)) ms p99 \(String(format2: p99 * 1000)) ms"
                candidates = ["stroke \(percentiles) (n=\(app.latency.count))", "stroke \(percentiles)", percentiles]
            }
            if let rd = app.reading { candidates[0] += " · net \(String(format2: rd.seconds * 1000)) ms" }
            s.put(r.x + 1, dy, TextFit.first(candidates, width: width), theme.accent, maxWidth: width)
        }
        return overflow
    }

    /// News too long for the info panel, rewrapped to the lower panel's width in
    /// a box at its bottom (over the feature maps, never over the canvas).
    func drawNoticeBox(_ news: [(String, Style)], _ s: Surface, _ lower: Rect) {
        let inner = lower.width - 4
        let text = news.map(\.0).joined(separator: " ")
        let lines = wrap(text, inner)
        let style = news.last?.1 ?? theme.good
        let h = min(lower.height, lines.count + 2)
        let r = Rect(x: lower.x, y: lower.maxY - h, width: lower.width, height: h)
        s.fill(r, " ", .plain)
        s.box(r, title: "notice", style: theme.frame, titleStyle: theme.heading)
        for (i, l) in lines.prefix(h - 2).enumerated() { s.put(r.x + 2, r.y + 1 + i, l, style, maxWidth: inner) }
    }

    func drawPrediction(_ app: App, _ s: Surface, _ r: Rect) {
        let inner = r.inset(1)
        guard let reading = app.reading else {
            s.box(r, title: "prediction", style: theme.frame, titleStyle: theme.heading)
            s.put(inner.x + 2, inner.y + inner.height / 2 - 1, "draw a digit", theme.heading)
            s.put(inner.x + 2, inner.y + inner.height / 2, "(empty canvas: no guess)", theme.dim)
            return
        }
        drawReading(reading.said, s, r)
    }

    func drawSees(_ app: App, _ s: Surface, _ r: Rect) {
        s.box(r, title: "network sees", style: theme.frame, titleStyle: theme.heading)
        guard let reading = app.reading else {
            s.put(r.x + 2, r.y + r.height / 2, "(nothing yet)", theme.dim)
            return
        }
        let px = reading.normalized
        Widgets.greyImage(s, theme, pixels: { x, y in px[y * 28 + x] }, width: 28, height: 28,
                          x: r.x + 1, y: r.y + 1, color: theme.grey)
    }

    func drawMaps(_ app: App, _ s: Surface, _ r: Rect) {
        let names = app.model.convLayerNames
        /// The panel's title, shortened to the box: "Tab: next layer", then the shape, then "feature maps" go first.
        func title(_ layer: String, _ shape: String = "") -> String {
            TextFit.join(["feature maps", layer, shape, names.count > 1 ? "Tab: next layer" : ""], width: r.width - 6, dropping: [3, 2, 0])
        }
        guard !names.isEmpty else {
            s.box(r, title: "feature maps", style: theme.frame, titleStyle: theme.heading)
            s.put(r.x + 2, r.y + 2, TextFit.clip("this model has no convolution layers", width: r.width - 4), theme.dim)
            return
        }
        let layerIndex = min(app.selectedLayer, names.count - 1)
        let layer = "\(names[layerIndex]) (\(layerIndex + 1)/\(names.count))"
        guard let reading = app.reading, layerIndex < reading.maps.count else {
            s.box(r, title: title(layer), style: theme.frame, titleStyle: theme.heading)
            for (i, line) in wrap("draw a digit to see what each filter responds to", r.width - 4).prefix(max(0, r.height - 3)).enumerated() {
                s.put(r.x + 2, r.y + 2 + i, line, theme.dim)
            }
            return
        }
        let map = reading.maps[layerIndex]
        let inner = r.inset(1)
        let grid = MapGrid(map: map, panel: r)
        let pages = grid.pages(map.channels)
        let page = min(app.channelPage, pages - 1)
        let first = page * grid.perPage, last = min(map.channels, first + grid.perPage)
        s.box(r, title: title(layer, "\(map.height)×\(map.width)×\(map.channels)"), style: theme.frame, titleStyle: theme.heading)
        // Header: channel range, page, and the colour legend with its value range.
        let channels = "channels \(first + 1)–\(last) of \(map.channels)", shortChannels = "\(first + 1)–\(last) of \(map.channels)"
        let headers = pages > 1 ? ["\(channels) · PgUp/PgDn: page \(page + 1)/\(pages)", "\(channels) · page \(page + 1)/\(pages)",
                                   "\(shortChannels) · page \(page + 1)/\(pages)"] : [channels, shortChannels]
        if grid.headerRows == 2 {
            s.put(inner.x + 1, inner.y, TextFit.first(headers, width: inner.width - 2), theme.dim)
            drawLegend(map, s, x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, label: true, perChannel: app.explorer.perChannelScale)
        } else {
            // One row: the longest header that leaves room for a short legend beside it, else the header alone.
            let legendMinimum = 2 + 18
            let header = headers.first { $0.count <= inner.width - 2 - legendMinimum } ?? TextFit.first(headers, width: inner.width - 2)
            s.put(inner.x + 1, inner.y, header, theme.dim)
            let x = inner.x + 1 + header.count + 2
            drawLegend(map, s, x: x, y: inner.y, width: inner.maxX - 1 - x, label: false, perChannel: app.explorer.perChannelScale)
        }
        for (slot, ch) in (first..<last).enumerated() {
            let (lo, range) = map.scale(channel: ch, perChannel: app.explorer.perChannelScale)
            let (ox, oy) = grid.origin(slot)
            s.put(ox, oy, "\(ch + 1)", theme.dim)
            let scale = grid.scale
            Widgets.greyImage(s, theme, pixels: { x, y in
                var sum: Float = 0, n: Float = 0
                for yy in (y * scale)..<min(map.height, (y + 1) * scale) {
                    for xx in (x * scale)..<min(map.width, (x + 1) * scale) { sum += map.value(channel: ch, x: xx, y: yy); n += 1 }
                }
                return n > 0 ? (sum / n - lo) / range : 0
            }, width: grid.thumbWidth, height: grid.thumbPixelHeight, x: ox, y: oy + 1, color: theme.heat)
        }
    }

    /// "activation 0.00 ░▒▓█ 1.99": the heat ramp between the map's extremes, at
    /// most 24 cells, in `width` columns; nothing where fewer than 6 cells would fit.
    /// `perChannel`: each channel has its own scale (a key), so no numbers.
    func drawLegend(_ map: FeatureMap, _ s: Surface, x: Int, y: Int, width: Int, label: Bool, perChannel: Bool = false) {
        let lo = perChannel ? "low" : String(format2: Double(map.minimum)), hi = perChannel ? "high" : String(format2: Double(map.maximum))
        let prefix = (perChannel ? (label ? "each channel " : "own ") : (label ? "activation " : "")) + lo + " "
        let cells = min(24, width - prefix.count - 1 - hi.count)
        guard cells >= 6 else { return }
        s.put(x, y, prefix, theme.dim)
        for i in 0..<cells {
            let v = Float(i) / Float(cells - 1)
            s[x + prefix.count + i, y] = theme.color ? Cell(scalar: "█", style: Style(fg: theme.heat(v))) : Cell(scalar: theme.shade(v))
        }
        s.put(x + prefix.count + cells + 1, y, hi, theme.dim)
    }

    func drawTraining(_ t: TrainingSession, _ s: Surface, _ r: Rect) {
        let snap = t.snapshot
        let settings = t.request.settings
        // "Esc: cancel" stays longest: the settings go first, then the word "training".
        var parts = ["training \(t.request.model)", "\(settings.epochs) epoch\(settings.epochs == 1 ? "" : "s")", "Esc: cancel",
                     "t: feature maps", "batch \(settings.batchSize)", settings.optimizer.rawValue]
        func title() -> String { parts.filter { !$0.isEmpty }.joined(separator: " · ") }
        for i in [5, 4, 3, 1] where title().count > r.width - 6 { parts[i] = "" }
        if title().count > r.width - 6 { parts[0] = t.request.model }
        s.box(r, title: TextFit.join(parts, width: r.width - 6), style: theme.frame, titleStyle: theme.heading)
        let inner = r.inset(1)
        let width = inner.width - 2
        var y = inner.y
        switch snap.phase {
        case .loading: s.put(inner.x + 1, y, "loading MNIST…", theme.accent)
        case .evaluating:
            s.put(inner.x + 1, y, TextFit.first(["measuring the new model on the 10,000 test images…", "measuring on the test set…"], width: width), theme.accent)
        case let .finished(a): s.put(inner.x + 1, y, TextFit.first(["finished: \(String(format2: a * 100)) % on the test set", "finished: \(String(format2: a * 100)) %"], width: width), theme.good)
        case .training:
            if let p = snap.progress {
                s.put(inner.x + 1, y, TextFit.join(["epoch \(p.epoch)/\(p.epochs)", "batch \(p.batch)/\(p.batches)", "\(Int(p.imagesPerSecond)) img/s", "ETA \(Format.duration(p.eta))"],
                                                   width: width, dropping: [2, 1]), theme.accent)
            } else { s.put(inner.x + 1, y, "starting…", theme.accent) }
        case let .failed(m): s.put(inner.x + 1, y, TextFit.clip(m, width: width), theme.warn)
        case .cancelled: s.put(inner.x + 1, y, "cancelled", theme.warn)
        }
        y += 1
        if let p = snap.progress {
            let frac = Float(Double((p.epoch - 1) * p.total + p.seen) / Double(max(1, p.epochs * p.total)))
            Widgets.bar(s, x: inner.x + 1, y: y, width: inner.width - 10, fraction: frac, style: theme.barTop, track: theme.dim)
            s.put(inner.maxX - 7, y, "\(Int(frac * 100)) %".leftPadding(6), theme.barTop)
            y += 1
            var parts = ["loss \(String(format4: p.loss))", "accuracy \(String(format2: p.accuracy * 100)) %"]
            if let last = snap.history.last, let vl = last.validationLoss, let va = last.validationAccuracy {
                parts += ["val accuracy \(String(format2: va * 100)) %", "val loss \(String(format4: vl))"]
            }
            s.put(inner.x + 1, y, fitParts(parts, width), .plain)
            y += 1
        }
        // Two charts side by side: loss and accuracy (running, per batch; validation per epoch).
        let chartHeight = max(3, inner.maxY - y - 1 - min(snap.history.count, 4))
        let half = (inner.width - 3) / 2
        let lossRect = Rect(x: inner.x + 1, y: y + 1, width: half, height: chartHeight - 1)
        let accRect = Rect(x: inner.x + 2 + half, y: y + 1, width: half, height: chartHeight - 1)
        let xMax = Double(settings.epochs)
        let losses = snap.lossSamples.map { (x: $0.x, y: $0.loss) }
        let accs = snap.lossSamples.map { (x: $0.x, y: $0.accuracy) }
        let maxLoss = max(losses.map(\.y).max() ?? 1, snap.history.compactMap(\.validationLoss).max() ?? 0, 0.1)
        let minAcc = min(accs.map(\.y).min() ?? 0.8, snap.history.compactMap(\.validationAccuracy).min() ?? 1)
        let accLo = max(0, (minAcc * 10).rounded(.down) / 10)
        s.put(lossRect.x, y, TextFit.clip("loss 0–\(String(format2: maxLoss))", width: half), theme.dim)
        s.put(accRect.x, y, TextFit.first(["accuracy \(Int(accLo * 100))–100 % (val: ●)", "accuracy \(Int(accLo * 100))–100 %", "acc \(Int(accLo * 100))–100 %"], width: half), theme.dim)
        Widgets.brailleChart(s, lossRect, points: losses, xMax: xMax, lo: 0, hi: maxLoss, style: theme.color ? Style(fg: 214) : .plain)
        Widgets.brailleChart(s, accRect, points: accs, xMax: xMax, lo: accLo, hi: 1, style: theme.color ? Style(fg: 117) : .plain)
        for r in snap.history {
            if let va = r.validationAccuracy {
                let dx = Int((Double(r.epoch) / xMax * Double(accRect.width - 1)).rounded())
                let f = (va - accLo) / (1 - accLo)
                let dy = Int(((1 - f) * Double(accRect.height - 1)).rounded())
                s.put(accRect.x + dx, accRect.y + max(0, min(accRect.height - 1, dy)), "●", theme.good)
            }
        }
        // The last few epochs as a table.
        var ty = y + chartHeight
        for rec in snap.history.suffix(max(0, inner.maxY - ty)) {
            var parts = ["epoch \(rec.epoch): loss \(String(format4: rec.trainLoss)) acc \(String(format2: rec.trainAccuracy * 100)) %"]
            if let vl = rec.validationLoss, let va = rec.validationAccuracy { parts.append("val loss \(String(format4: vl)) acc \(String(format2: va * 100)) %") }
            parts.append(Format.duration(rec.seconds))
            s.put(inner.x + 1, ty, fitParts(parts, width), theme.dim)
            ty += 1
        }
    }

    func drawStatus(_ app: App, _ s: Surface, _ r: Rect) {
        for item in Footer.items(app, width: r.width) {
            s.put(r.x + item.x, r.y, item.key, theme.key)
            s.put(r.x + item.x + item.key.count, r.y, item.label, theme.dim)
        }
    }

    // MARK: overlays

    func drawOverlay(_ o: App.Overlay, _ app: App, _ s: Surface) {
        switch o {
        case let .menu(selected):
            let items = Command.menu
            let w = MenuBox.width
            let r = MenuBox.rect(screenWidth: s.width, screenHeight: s.height)
            panel(s, r, "menu")
            for (i, item) in items.enumerated() {
                // What does not apply now is dimmed (Enter on it says why).
                let style = i == selected ? theme.selected : (item.isAvailable(app) ? Style.plain : theme.dim)
                s.put(r.x + 2, MenuBox.row(i, in: r), item.name.padding(w - 10) + item.keys[0].label.leftPadding(4), style, maxWidth: w - 4)
            }
            s.put(r.x + 2, r.maxY - 1, " ↑↓ Enter · Esc ", theme.dim)
        case let .form(form, _):
            let w = min(s.width - 4, 72)
            let notes = form.notes.flatMap { wrap($0, w - 4) }
            let error = form.error.map { wrap($0, w - 4) } ?? []
            let h = form.fields.count + 5 + notes.count + max(1, error.count)
            let r = centered(s, w, h)
            panel(s, r, form.title)
            for (i, f) in form.fields.enumerated() {
                let y = r.y + 2 + i
                let focused = i == form.focus
                s.put(r.x + 2, y, f.label.padding(18), focused ? theme.heading : theme.dim)
                var value = f.value
                switch f.kind {
                case .choice, .toggle: value = "◀ \(value) ▶"
                default: if focused { value += "▏" }
                }
                let room = w - 24
                if value.count > room { value = "…" + value.suffix(room - 1) }
                s.put(r.x + 21, y, value.padding(room), focused ? theme.selected : .plain, maxWidth: room)
            }
            for (i, note) in notes.enumerated() { s.put(r.x + 2, r.y + 2 + form.fields.count + i, note, theme.dim, maxWidth: w - 4) }
            for (i, line) in error.enumerated() { s.put(r.x + 2, r.maxY - 2 - error.count + i, line, theme.warn, maxWidth: w - 4) }
            s.put(r.x + 2, r.maxY - 2, ([form.submitLabel] + form.keyHints).joined(separator: " · "), theme.dim, maxWidth: w - 4)
        case let .message(title, text):
            let box = MessageBox(text, screenWidth: s.width, screenHeight: s.height)
            let r = centered(s, box.width, box.visible + 4)
            panel(s, r, title)
            let first = min(app.messageScroll, box.lastScroll)
            for (i, line) in box.lines.dropFirst(first).prefix(box.visible).enumerated() { s.put(r.x + 2, r.y + 2 + i, line, .plain, maxWidth: box.width - 4) }
            let more = box.lastScroll > 0 ? " · ↑↓ PgUp PgDn: \(first + 1)–\(first + box.visible) of \(box.lines.count) lines" : ""
            s.put(r.x + 2, r.maxY - 1, " Enter or Esc: close\(more) ", theme.dim, maxWidth: box.width - 4)
        case .confirmQuit:
            let lines = app.quitWouldLose
            let r = centered(s, 62, 6 + lines.count)
            panel(s, r, "quit?")
            for (i, l) in lines.enumerated() { s.put(r.x + 2, r.y + 2 + i, l, theme.warn) }
            choices(s, (app.canSaveOnQuit ? [("s", "save the model")] : []) + [("q", "quit"), ("Esc", "stay")], x: r.x + 2, y: r.y + 3 + lines.count, maxX: r.maxX - 2)
        case .confirmLoad:
            let lines = app.loadWouldLose
            let r = centered(s, 62, 6 + lines.count)
            panel(s, r, "load another model?")
            for (i, l) in lines.enumerated() { s.put(r.x + 2, r.y + 2 + i, l, theme.warn) }
            choices(s, [("s", "save the model"), ("l", "load anyway"), ("Esc", "stay")], x: r.x + 2, y: r.y + 3 + lines.count, maxX: r.maxX - 2)
        case let .confirmOverwrite(path, shipped, typed):
            let w = min(s.width - 4, 72)
            var lines = wrap("\(path) exists.", w - 4)
            if shipped {
                lines += wrap("It is the shipped model, which digits loads by default. Type yes and Enter to replace it; anything else keeps it.", w - 4)
            }
            let r = centered(s, w, lines.count + 5)
            panel(s, r, "replace the file?")
            for (i, l) in lines.enumerated() { s.put(r.x + 2, r.y + 2 + i, l, theme.warn) }
            let y = r.maxY - 2
            if shipped {
                s.put(r.x + 2, y, "yes? ", .plain); s.put(r.x + 7, y, typed + "▏", theme.selected)
                s.put(r.x + 16, y, "Enter: answer · Esc: keep it", theme.dim)
            } else {
                choices(s, [("y", "replace it"), ("n", "choose another name")], x: r.x + 2, y: y, maxX: r.maxX - 2)
            }
        }
    }

    /// The end of a training run, shown over the lower panel (never over the
    /// canvas) while the app goes on: y keeps the new model, n discards it.
    func drawTrainingDone(_ app: App, _ acc: Double, _ s: Surface, _ lower: Rect) {
        let r = Rect(x: lower.x, y: lower.y, width: lower.width, height: min(lower.height, 6))
        panel(s, r, "training finished")
        let inner = r.width - 4
        var line = "the new \(app.training?.request.model ?? "model") reaches \(String(format2: acc * 100)) % on the test set"
        if let a = app.model.testAccuracy { line += " (the model on screen: \(String(format2: a * 100)) %)" }
        for (i, l) in wrap(line, inner).prefix(2).enumerated() { s.put(r.x + 2, r.y + 1 + i, l, theme.good, maxWidth: inner) }
        let y = r.y + 3
        s.put(r.x + 2, y, "y", theme.key); s.put(r.x + 3, y, " keep it (it goes live, then save it)  ", .plain, maxWidth: inner - 1)
        // "n discard it" beside, or under it in a narrow panel (the compact layout's).
        let beside = r.x + 3 + 39 + 12 < r.maxX
        let (nx, ny) = beside ? (r.x + 3 + 39, y) : (r.x + 2, y + 1)
        s.put(nx, ny, "n", theme.key); s.put(nx + 1, ny, " discard it", .plain)
    }

    /// A teach's result over the lower panel, waiting for y or n while drawing goes on.
    func drawTaughtDone(_ report: TeachingReport, _ s: Surface, _ lower: Rect) {
        let inner = lower.width - 4
        let body = TeachJob.resultLines(report).flatMap { wrap($0, inner) }
        let r = Rect(x: lower.x, y: lower.y, width: lower.width, height: min(lower.height, body.count + 4))
        panel(s, r, "taught")
        for (i, l) in body.prefix(max(0, r.height - 4)).enumerated() {
            s.put(r.x + 2, r.y + 1 + i, l, l.contains("advised") || l.contains("dropped") ? theme.warn : theme.good, maxWidth: inner)
        }
        choices(s, [("y", "keep the taught model"), ("n", "discard it")], x: r.x + 2, y: r.maxY - 2, maxX: r.maxX - 1)
    }

    /// Answers in a row, each its key then its words, as many whole ones as fit before `maxX`.
    func choices(_ s: Surface, _ items: [(key: String, label: String)], x: Int, y: Int, maxX: Int) {
        var x = x
        for (key, label) in items {
            guard x + key.count + 1 + label.count <= maxX else { break }
            s.put(x, y, key, theme.key)
            s.put(x + key.count, y, " " + label, .plain)
            x += key.count + 1 + label.count + 2
        }
    }

    func centered(_ s: Surface, _ w: Int, _ h: Int) -> Rect {
        Rect(x: max(0, (s.width - w) / 2), y: max(0, (s.height - h) / 2), width: min(w, s.width), height: min(h, s.height))
    }

    func panel(_ s: Surface, _ r: Rect, _ title: String) {
        s.fill(r, " ", .plain)
        s.box(r, title: title, style: theme.heading, titleStyle: theme.heading)
    }
}

/// How the channels of one feature map are tiled: the smallest downscale that
/// shows at least `wanted` channels (or all of them) per page.
struct MapGrid {
    let scale: Int, thumbWidth: Int, thumbPixelHeight: Int, columns: Int, rows: Int
    let area: Rect
    /// Rows above the thumbnails: the channel range, and the legend when there is room for its own row.
    let headerRows: Int

    /// The grid inside the feature-map panel `panel` (its box and header rows excluded).
    init(map: FeatureMap, panel: Rect) {
        self.init(height: map.height, width: map.width, channels: map.channels, panel: panel)
    }

    /// A short panel (the compact layout's: under 14 rows) has one header row
    /// instead of two, and shows fewer, larger thumbnails per page.
    init(height: Int, width: Int, channels: Int, panel: Rect) {
        let inner = panel.inset(1)
        headerRows = inner.height >= 12 ? 2 : 1
        let wanted = headerRows == 2 ? 8 : 4
        let area = Rect(x: inner.x, y: inner.y + headerRows, width: inner.width, height: inner.height - headerRows)
        self.area = area
        var chosen: (Int, Int, Int, Int, Int)? = nil
        for s in 1...8 {
            let w = (width + s - 1) / s, ph = (height + s - 1) / s
            let cellH = (ph + 1) / 2 + 1      // half-block rows plus a label row
            let cols = max(0, (area.width - 1) / (w + 1)), rows = max(0, area.height / cellH)
            chosen = (s, w, ph, cols, rows)
            if cols * rows >= min(channels, wanted) { break }
        }
        let c = chosen!
        scale = c.0; thumbWidth = c.1; thumbPixelHeight = c.2; columns = max(1, c.3); rows = max(1, c.4)
    }

    var perPage: Int { columns * rows }

    func pages(_ channels: Int) -> Int { max(1, (channels + perPage - 1) / perPage) }

    /// How many pages a layer of `shape` takes in the panel.
    static func pages(for shape: Shape, panel: Rect) -> Int {
        MapGrid(height: shape.h, width: shape.w, channels: shape.c, panel: panel).pages(shape.c)
    }

    func origin(_ slot: Int) -> (Int, Int) {
        let cellH = (thumbPixelHeight + 1) / 2 + 1
        return (area.x + 1 + (slot % columns) * (thumbWidth + 1), area.y + (slot / columns) * cellH)
    }
}
