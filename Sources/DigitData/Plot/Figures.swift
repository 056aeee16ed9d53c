import ConvNet

/// The pictures people would rather look at than read: training curves, the
/// confusion matrix, samples per class, misclassified digits, feature maps.
public enum Figures {
    /// A line chart panel: axes with ticks, series as lines with dots, a legend.
    static func chart(_ r: Raster, x: Int, y: Int, w: Int, h: Int, title: String, xLabel: String,
                      series: [(name: String, color: RGB, points: [(Double, Double)])], yRange: (Double, Double), percent: Bool,
                      legendAtBottom: Bool = false) {
        let left = x + 52, top = y + 22, pw = w - 64, ph = h - 56
        r.centred(title, x + w / 2, y + 4, .black, scale: 2)
        r.rectangle(left, top, pw, ph, .grey)
        let xs = series.flatMap { $0.points.map(\.0) }
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1)
        let (lo, hi) = yRange
        func px(_ v: Double) -> Int { left + Int(((v - xMin) / (xMax - xMin)) * Double(pw - 1)) }
        func py(_ v: Double) -> Int { top + ph - 1 - Int(((min(max(v, lo), hi) - lo) / (hi - lo)) * Double(ph - 1)) }
        for i in 0...4 {
            let v = lo + (hi - lo) * Double(i) / 4
            let yy = py(v)
            r.line(left, yy, left + pw - 1, yy, .light)
            let label = percent ? fixed(v * 100, v * 100 >= 99.95 ? 0 : 1) + "%" : fixed(v, hi - lo < 0.5 ? 3 : 2)
            r.text(label, left - 6 - Raster.textWidth(label), yy - 3, .black)
        }
        let step = max(1, Int(((xMax - xMin) / 8).rounded(.up)))
        var t = Int(xMin)
        while Double(t) <= xMax {
            r.line(px(Double(t)), top + ph, px(Double(t)), top + ph + 3, .grey)
            r.centred("\(t)", px(Double(t)), top + ph + 6)
            t += step
        }
        r.centred(xLabel, left + pw / 2, top + ph + 18)
        for s in series {
            for (a, b) in zip(s.points, s.points.dropFirst()) { r.line(px(a.0), py(a.1), px(b.0), py(b.1), s.color, thickness: 2) }
            for p in s.points { r.fill(px(p.0) - 2, py(p.1) - 2, 5, 5, s.color) }
        }
        var ly = legendAtBottom ? top + ph - 8 - 12 * series.count : top + 6
        for s in series {
            let lx = left + pw - 8 - Raster.textWidth(s.name) - 20
            r.fill(lx, ly + 2, 14, 3, s.color)
            r.text(s.name, lx + 18, ly)
            ly += 12
        }
    }

    public static func trainingCurves(_ history: [EpochRecord], title: String) -> Raster {
        let r = Raster(width: 960, height: 400)
        r.centred(title, 480, 6, .black, scale: 2)
        let e = history.map { Double($0.epoch) }
        var loss: [(String, RGB, [(Double, Double)])] = [("train", .blue, Array(zip(e, history.map(\.trainLoss))))]
        var acc: [(String, RGB, [(Double, Double)])] = [("train", .blue, Array(zip(e, history.map(\.trainAccuracy))))]
        let vl = history.compactMap { r in r.validationLoss.map { (Double(r.epoch), $0) } }
        let va = history.compactMap { r in r.validationAccuracy.map { (Double(r.epoch), $0) } }
        if !vl.isEmpty { loss.append(("validation", .orange, vl)); acc.append(("validation", .orange, va)) }
        let maxLoss = (loss.flatMap { $0.2.map(\.1) }.max() ?? 1) * 1.05
        let minAcc = acc.flatMap { $0.2.map(\.1) }.min() ?? 0.9
        let accLo = max(0, (minAcc * 50).rounded(.down) / 50 - 0.01)
        chart(r, x: 0, y: 26, w: 480, h: 370, title: "loss", xLabel: "epoch",
              series: loss.map { ($0.0, $0.1, $0.2) }, yRange: (0, max(maxLoss, 1e-3)), percent: false)
        chart(r, x: 480, y: 26, w: 480, h: 370, title: "accuracy", xLabel: "epoch",
              series: acc.map { ($0.0, $0.1, $0.2) }, yRange: (accLo, 1), percent: true, legendAtBottom: true)
        return r
    }

    /// Rows are the true classes, columns the predictions; each cell coloured by
    /// its share of the row and labelled with its count.
    public static func confusionMatrix(_ m: [[Int]], title: String) -> Raster {
        let k = m.count, cell = 46, left = 90, top = 70
        let r = Raster(width: left + k * cell + 40, height: top + k * cell + 60)
        r.centred(title, r.width / 2, 10, .black, scale: 2)
        r.centred("predicted", left + k * cell / 2, 34)
        for (i, row) in m.enumerated() {
            let total = max(1, row.reduce(0, +))
            r.text("\(i)", left - 14, top + i * cell + cell / 2 - 3)
            for (j, n) in row.enumerated() {
                let share = Float(n) / Float(total)
                let c = i == j ? RGB.heat(0.25 + 0.75 * share) : (n == 0 ? RGB.white : RGB.heat(0.15 + 0.85 * min(1, share * 8)))
                r.fill(left + j * cell, top + i * cell, cell - 1, cell - 1, c)
                let bright = Int(c.r) + Int(c.g) + Int(c.b) > 380
                if n > 0 { r.centred("\(n)", left + j * cell + cell / 2, top + i * cell + cell / 2 - 3, bright ? .black : .white) }
            }
        }
        for j in 0..<k { r.centred("\(j)", left + j * cell + cell / 2, top - 12) }
        r.text("true", 8, top + k * cell / 2 - 3)
        r.centred("diagonal: right answers; off the diagonal: which digit was taken for which", r.width / 2, top + k * cell + 24, .grey)
        return r
    }

    /// `perClass` examples of each class in a row, with how many the set holds.
    public static func samplesGrid(_ data: LabeledImages, perClass: Int = 12, title: String) -> Raster {
        let scale = data.shape.h <= 8 ? 5 : 2, tile = data.shape.h * scale + 4, left = 110
        let counts = data.classCounts()
        let r = Raster(width: left + perClass * tile + 20, height: 50 + 10 * tile + 10)
        r.centred(title, r.width / 2, 10, .black, scale: 2)
        var maxValue = data.maxValue
        if maxValue <= 0 { maxValue = 1 }
        for c in 0..<10 {
            let y = 44 + c * tile
            r.text("\(c)", 8, y + tile / 2 - 7, .black, scale: 2)
            r.text("n=\(counts[c])", 30, y + tile / 2 - 3, .grey)
            var shown = 0
            for i in 0..<data.count where Int(data.labels[i]) == c && shown < perClass {
                let px = data.image(i)
                r.image(px, width: data.shape.w, height: data.shape.h, at: left + shown * tile, y, scale: scale) { v in
                    let g = UInt8(255 - min(255, max(0, Int(v / maxValue * 255)))); return RGB(g, g, g)
                }
                shown += 1
            }
        }
        return r
    }

    /// The test examples the model got wrong, each with its true and predicted class.
    public static func misclassified(_ data: LabeledImages, predictions: [Int], limit: Int = 60, title: String) -> Raster {
        let wrong = (0..<data.count).filter { predictions[$0] != Int(data.labels[$0]) }.prefix(limit)
        let scale = data.shape.h <= 8 ? 6 : 2, tile = max(data.shape.w * scale, 48) + 10, perRow = 10
        let rows = max(1, (wrong.count + perRow - 1) / perRow)
        let r = Raster(width: perRow * tile + 20, height: 50 + rows * (data.shape.h * scale + 22))
        r.centred(title, r.width / 2, 10, .black, scale: 2)
        var maxValue = data.maxValue
        if maxValue <= 0 { maxValue = 1 }
        for (n, i) in wrong.enumerated() {
            let x = 10 + (n % perRow) * tile, y = 40 + (n / perRow) * (data.shape.h * scale + 22)
            let px = data.image(i)
            r.image(px, width: data.shape.w, height: data.shape.h, at: x, y, scale: scale) { v in
                let g = UInt8(255 - min(255, max(0, Int(v / maxValue * 255)))); return RGB(g, g, g)
            }
            r.text("\(data.labels[i])", x, y + data.shape.h * scale + 3, .green)
            r.text("->\(predictions[i])", x + 10, y + data.shape.h * scale + 3, .red)
        }
        if wrong.isEmpty { r.centred("no errors", r.width / 2, 44) }
        return r
    }

    /// Every channel of one layer's activations as a heatmap tile, on a shared scale.
    public static func featureMaps(_ values: [Float], height h: Int, width w: Int, channels c: Int, title: String) -> Raster {
        let scale = max(1, 84 / max(h, w)), tile = w * scale + 6, perRow = min(c, 8)
        let rows = (c + perRow - 1) / perRow
        let lo = values.min() ?? 0, hi = max(values.max() ?? 1, lo + 1e-6)
        let r = Raster(width: max(perRow * tile + 20, 360), height: 64 + rows * (h * scale + 18))
        r.centred(title, r.width / 2, 8, .black, scale: 2)
        r.text(fixed(Double(lo), 2), 10, 30)
        for i in 0..<100 { r.fill(50 + i * 2, 29, 2, 9, RGB.heat(Float(i) / 99)) }
        r.text(fixed(Double(hi), 2), 256, 30)
        for ch in 0..<c {
            let x = 10 + (ch % perRow) * tile, y = 52 + (ch / perRow) * (h * scale + 18)
            r.text("\(ch + 1)", x, y)
            var tileValues = [Float](repeating: 0, count: h * w)
            for p in 0..<(h * w) { tileValues[p] = (values[p * c + ch] - lo) / (hi - lo) }
            r.image(tileValues, width: w, height: h, at: x, y + 9, scale: scale, map: RGB.heat)
        }
        return r
    }

    static func fixed(_ v: Double, _ d: Int) -> String { Format.fixed(v, d) }
}
