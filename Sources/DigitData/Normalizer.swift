/// Turns any greyscale digit (ink high, paper low) into what MNIST's makers
/// produced: crop to the ink, scale the longer side to 20 px keeping the aspect
/// ratio (area-averaging when shrinking, bilinear when enlarging), and place it
/// in a 28×28 frame so that its centre of mass falls at the centre.
/// The same code serves the app's canvas and `digits predict`'s image files.
public enum MNISTNormalizer {
    public static let size = 28, box = 20

    /// Ink below this fraction of the brightest pixel is ignored for the bounding box.
    public static let inkThreshold: Float = 0.1

    public struct Result: Sendable {
        /// 28×28 floats in [0, 1].
        public var pixels: [Float]
        /// Where the ink came from and where it went (maps between the two).
        public var placement: Placement
        /// The ink's bounding box in the source (x, y, width, height).
        public var box: (x: Int, y: Int, width: Int, height: Int) { placement.box }
    }

    /// The crop, scale and shift of one normalisation: the ink's box in the
    /// source, and the box its scaled copy took in the 28×28 frame (which may
    /// reach past the frame's edge, where the ink was cut).
    public struct Placement: Sendable {
        public var box: (x: Int, y: Int, width: Int, height: Int)
        public var placed: (x: Int, y: Int, width: Int, height: Int)
    }

    /// Returns nil when there is (almost) no ink: nothing to classify.
    /// `keepAspect: false` stretches the ink to fill the whole box (how some scans
    /// are made; training imitates them with it).
    public static func normalize(_ src: [Float], width w: Int, height h: Int, minimumInk: Float = 1.0,
                                 keepAspect: Bool = true) -> Result? {
        precondition(src.count == w * h)
        guard let peak = src.max(), peak > 0 else { return nil }
        let total = src.reduce(0, +)
        guard total >= minimumInk else { return nil }
        let t = peak * inkThreshold
        var x0 = w, y0 = h, x1 = -1, y1 = -1
        for y in 0..<h { for x in 0..<w where src[y * w + x] > t {
            x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
        } }
        guard x1 >= x0, y1 >= y0 else { return nil }
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1
        var crop = [Float](repeating: 0, count: bw * bh)
        for y in 0..<bh { for x in 0..<bw { crop[y * bw + x] = min(src[(y0 + y) * w + x0 + x] / peak, 1) } }
        let scale = Float(box) / Float(max(bw, bh))
        var tw = max(1, min(box, Int((Float(bw) * scale).rounded()))), th = max(1, min(box, Int((Float(bh) * scale).rounded())))
        if !keepAspect { (tw, th) = (box, box) }
        let scaled = resample(crop, width: bw, height: bh, toWidth: tw, toHeight: th)
        // Centre of mass of the scaled digit, in pixel-centre coordinates.
        var mass: Float = 0, mx: Float = 0, my: Float = 0
        for y in 0..<th { for x in 0..<tw {
            let v = scaled[y * tw + x]
            mass += v; mx += v * (Float(x) + 0.5); my += v * (Float(y) + 0.5)
        } }
        let cx = mass > 0 ? mx / mass : Float(tw) / 2, cy = mass > 0 ? my / mass : Float(th) / 2
        let ox = Int((Float(size) / 2 - cx).rounded()), oy = Int((Float(size) / 2 - cy).rounded())
        var out = [Float](repeating: 0, count: size * size)
        for y in 0..<th { for x in 0..<tw {
            let dx = x + ox, dy = y + oy
            if dx >= 0 && dx < size && dy >= 0 && dy < size { out[dy * size + dx] = scaled[y * tw + x] }
        } }
        return Result(pixels: out, placement: Placement(box: (x0, y0, bw, bh), placed: (ox, oy, tw, th)))
    }

    /// Resizes a single-channel image: each destination pixel averages the source
    /// area it covers (exact for shrinking); enlarging interpolates bilinearly.
    public static func resample(_ src: [Float], width sw: Int, height sh: Int, toWidth dw: Int, toHeight dh: Int) -> [Float] {
        if sw == dw && sh == dh { return src }
        var out = [Float](repeating: 0, count: dw * dh)
        if dw > sw || dh > sh {
            for y in 0..<dh { for x in 0..<dw {
                let sx = max(0, min(Float(sw - 1), (Float(x) + 0.5) * Float(sw) / Float(dw) - 0.5))
                let sy = max(0, min(Float(sh - 1), (Float(y) + 0.5) * Float(sh) / Float(dh) - 0.5))
                let xa = Int(sx), ya = Int(sy), xb = min(xa + 1, sw - 1), yb = min(ya + 1, sh - 1)
                let fx = sx - Float(xa), fy = sy - Float(ya)
                let top = src[ya * sw + xa] * (1 - fx) + src[ya * sw + xb] * fx
                let bottom = src[yb * sw + xa] * (1 - fx) + src[yb * sw + xb] * fx
                out[y * dw + x] = top * (1 - fy) + bottom * fy
            } }
            return out
        }
        let fx = Float(sw) / Float(dw), fy = Float(sh) / Float(dh)
        for y in 0..<dh {
            let ya = Float(y) * fy, yb = ya + fy
            for x in 0..<dw {
                let xa = Float(x) * fx, xb = xa + fx
                var sum: Float = 0
                var sy = Int(ya)
                while Float(sy) < yb && sy < sh {
                    let cy = min(Float(sy + 1), yb) - max(Float(sy), ya)
                    var sx = Int(xa)
                    while Float(sx) < xb && sx < sw {
                        let cx = min(Float(sx + 1), xb) - max(Float(sx), xa)
                        sum += src[sy * sw + sx] * cx * cy
                        sx += 1
                    }
                    sy += 1
                }
                out[y * dw + x] = sum / (fx * fy)
            }
        }
        return out
    }
}
