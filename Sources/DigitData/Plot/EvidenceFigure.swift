import ConvNet

extension Figures {
    /// The evidence for a reading over the grey input the network saw: each
    /// pixel's grey mixed toward red (pushed the answer up) or blue (pushed
    /// toward the runner-up) by its share of the largest |value|, as the app's
    /// overlay colours the canvas. A legend names the two classes.
    public static func evidence(_ e: Evidence, input: [Float], title: String, scale: Int = 10) -> Raster {
        precondition(input.count == e.width * e.height && e.values.count == input.count)
        let margin = 10, top = 30, legend = 24
        let r = Raster(width: e.width * scale + 2 * margin, height: e.height * scale + top + legend + margin)
        r.centred(title, r.width / 2, 8)
        let peak = e.peak
        let red = RGB(214, 39, 40), blue = RGB(31, 90, 220)
        func mix(_ a: UInt8, _ b: UInt8, _ t: Float) -> UInt8 { UInt8(max(0, min(255, (Float(a) * (1 - t) + Float(b) * t).rounded()))) }
        for y in 0..<e.height {
            for x in 0..<e.width {
                let i = y * e.width + x
                let g = UInt8(max(0, min(255, Int((input[i] * 160).rounded()))))   // a dim grey, so colours read over it
                let v = peak > 0 ? e.values[i] / peak : 0
                let c = v > 0 ? red : blue, t = min(1, abs(v).squareRoot())   // √: faint evidence still shows
                r.fill(margin + x * scale, top + y * scale, scale, scale, RGB(mix(g, c.r, t), mix(g, c.g, t), mix(g, c.b, t)))
            }
        }
        let ly = top + e.height * scale + 6
        r.fill(margin, ly, 12, 12, red)
        let after = margin + 16 + r.text("for \(e.top)", margin + 16, ly + 2)
        r.fill(after + 14, ly, 12, 12, blue)
        r.text("for \(e.runnerUp)", after + 30, ly + 2)
        return r
    }
}
