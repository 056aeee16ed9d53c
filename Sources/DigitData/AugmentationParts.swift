import ConvNet
import Glibc

/// A random displacement field for elastic distortion (Simard, Steinkraus & Platt
/// 2003): smooth, so neighbouring pixels move together. Rather than smoothing
/// white noise at every pixel with a Gaussian (thousands of multiply-adds an
/// image), random displacements of RMS `amplitude` pixels are drawn on a coarse
/// grid of control points `spacing` pixels apart and interpolated bilinearly
/// between them: as smooth for a spacing near the Gaussian's σ, and a few dozen
/// random draws an image.
struct ElasticField {
    let dx: [Float], dy: [Float]

    init(width w: Int, height h: Int, amplitude: Float, spacing: Float, rng: inout RNG) {
        let gw = Int(ceilf(Float(w - 1) / spacing)) + 1, gh = Int(ceilf(Float(h - 1) / spacing)) + 1
        func field(_ rng: inout RNG) -> [Float] {
            var grid = [Float](repeating: 0, count: gw * gh)
            for i in grid.indices { grid[i] = rng.normal() * amplitude }
            var out = [Float](repeating: 0, count: w * h)
            for y in 0..<h {
                let gy = Float(y) / spacing, y0 = min(Int(gy), gh - 2), fy = gy - Float(y0)
                for x in 0..<w {
                    let gx = Float(x) / spacing, x0 = min(Int(gx), gw - 2), fx = gx - Float(x0)
                    let top = grid[y0 * gw + x0] * (1 - fx) + grid[y0 * gw + x0 + 1] * fx
                    let bottom = grid[(y0 + 1) * gw + x0] * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1] * fx
                    out[y * w + x] = top * (1 - fy) + bottom * fy
                }
            }
            return out
        }
        dx = field(&rng)
        dy = field(&rng)
    }
}

/// Stretches the ink to fill the normalised box whatever its aspect (a 1 becomes
/// a wide bar), as scans stored at a fixed size are made; `coarse` first
/// binarises it at 16×16, as such scans are. The result is placed like MNIST's
/// (`MNISTNormalizer`, centre of mass at the centre). One channel only.
enum StretchToBox {
    static let scanSize = 16

    static func apply(_ image: UnsafeMutablePointer<Float>, shape: Shape, coarse: Bool) {
        var pixels = Array(UnsafeBufferPointer(start: image, count: shape.count))
        var (w, h) = (shape.w, shape.h)
        if coarse, let scan = binarisedScan(pixels, width: w, height: h) { (pixels, w, h) = (scan, scanSize, scanSize) }
        guard shape.w == MNISTNormalizer.size, shape.h == MNISTNormalizer.size,
              let r = MNISTNormalizer.normalize(pixels, width: w, height: h, minimumInk: 0, keepAspect: false) else { return }
        image.update(from: r.pixels, count: shape.count)
    }

    /// The ink cropped, stretched to 16×16 and binarised at half its peak.
    static func binarisedScan(_ p: [Float], width w: Int, height h: Int) -> [Float]? {
        guard let peak = p.max(), peak > 0 else { return nil }
        var x0 = w, y0 = h, x1 = -1, y1 = -1
        for y in 0..<h { for x in 0..<w where p[y * w + x] > peak * MNISTNormalizer.inkThreshold {
            x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
        } }
        guard x1 >= x0 else { return nil }
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1
        var crop = [Float](repeating: 0, count: bw * bh)
        for y in 0..<bh { for x in 0..<bw { crop[y * bw + x] = p[(y0 + y) * w + x0 + x] } }
        return MNISTNormalizer.resample(crop, width: bw, height: bh, toWidth: scanSize, toHeight: scanSize)
            .map { $0 >= peak / 2 ? 1 : 0 }
    }
}

/// Thicker or thinner strokes: a grey dilation (max) or erosion (min) over each
/// pixel and its four neighbours, blended in by `amount` (0…1).
enum StrokeWidth {
    static func apply(_ image: UnsafeMutablePointer<Float>, shape: Shape, thicker: Bool, amount: Float) {
        let (w, h) = (shape.w, shape.h)
        let src = Array(UnsafeBufferPointer(start: image, count: shape.count))
        for y in 0..<h { for x in 0..<w {
            var v = src[y * w + x]
            for (ax, ay) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)] {
                let n = (ax < 0 || ax >= w || ay < 0 || ay >= h) ? 0 : src[ay * w + ax]
                v = thicker ? max(v, n) : min(v, n)
            }
            image[y * w + x] = src[y * w + x] + amount * (v - src[y * w + x])
        } }
    }
}
