import ConvNet
import Glibc

/// Random distortions of one training image, drawn afresh every epoch:
///
/// * affine (rotation, scale, shear, shift): how a digit sits on the page;
/// * elastic (Simard et al. 2003: a random displacement field, smoothed): the
///   wobble of a real pen stroke, here on a coarse grid of control points;
/// * stretch: the ink stretched to fill a square box whatever its aspect, often
///   binarised at a coarse resolution first — how many scanned digit sets are made;
/// * thickness: strokes made thicker or thinner (grey dilation or erosion):
///   pens and brushes differ.
///
/// The geometric ones are one resampling (bilinear) through the combined map.
/// Every draw comes from the image's own generator, so a run is repeatable.
public struct Augmentation: Sendable {
    public var affine = true
    public var maxRotationDegrees: Float = 12
    public var scaleRange: ClosedRange<Float> = 0.9...1.1
    public var maxShear: Float = 0.15
    public var maxShift: Float = 2.5
    /// Typical (RMS) displacement of the elastic field in pixels (0: none).
    public var elastic: Float = 0
    /// Smoothness of the elastic field: its control points' spacing in pixels.
    public var elasticSpacing: Float = 5
    /// Share of images stretched to fill the box.
    public var stretch: Float = 0
    /// Share of images made thicker or thinner.
    public var thickness: Float = 0

    public init() {}

    /// The augmentation a run's settings ask for, or nil for none.
    public init?(_ s: TrainingSettings) {
        guard s.augment || s.elastic > 0 || s.stretch > 0 || s.thickness > 0 else { return nil }
        affine = s.augment
        elastic = s.elastic
        stretch = s.stretch
        thickness = s.thickness
    }

    public var augmenter: Augmenter {
        let a = self
        return { image, shape, rng in a.apply(image, shape: shape, rng: &rng) }
    }

    public func apply(_ image: UnsafeMutablePointer<Float>, shape: Shape, rng: inout RNG) {
        if stretch > 0 && shape.c == 1 && rng.uniform() < stretch {
            StretchToBox.apply(image, shape: shape, coarse: rng.uniform() < 0.5)
        }
        if thickness > 0 && shape.c == 1 && rng.uniform() < thickness {
            let thicker = rng.uniform() < 0.5
            StrokeWidth.apply(image, shape: shape, thicker: thicker,
                              amount: thicker ? rng.uniform(0.3, 1) : rng.uniform(0.3, 0.7))
        }
        var m: (Float, Float, Float, Float) = (1, 0, 0, 1), t: (Float, Float) = (0, 0)
        if affine {
            let angle = rng.uniform(-maxRotationDegrees, maxRotationDegrees) * .pi / 180
            let sx = rng.uniform(scaleRange.lowerBound, scaleRange.upperBound)
            let sy = sx * rng.uniform(0.95, 1.05)
            let shear = rng.uniform(-maxShear, maxShear)
            t = (rng.uniform(-maxShift, maxShift), rng.uniform(-maxShift, maxShift))
            // Forward map A = R·Sh·S; we sample the source at A⁻¹(dst − centre − t) + centre.
            let c = cosf(angle), s = sinf(angle)
            let a00 = c * sx, a01 = (c * shear - s) * sy
            let a10 = s * sx, a11 = (s * shear + c) * sy
            let det = a00 * a11 - a01 * a10
            m = (a11 / det, -a01 / det, -a10 / det, a00 / det)
        }
        if elastic > 0 && shape.w >= 2 && shape.h >= 2 {
            let field = ElasticField(width: shape.w, height: shape.h, amplitude: elastic, spacing: elasticSpacing, rng: &rng)
            field.dx.withUnsafeBufferPointer { dx in
                field.dy.withUnsafeBufferPointer { dy in
                    warp(image, shape: shape, inverse: m, shift: t, displacement: (dx.baseAddress!, dy.baseAddress!))
                }
            }
        } else if affine {
            warp(image, shape: shape, inverse: m, shift: t, displacement: nil)
        }
    }

    /// Resamples every channel of `image` in place through the inverse affine map,
    /// plus a per-pixel displacement of the source position when given.
    func warp(_ image: UnsafeMutablePointer<Float>, shape: Shape, inverse m: (Float, Float, Float, Float), shift: (Float, Float),
              displacement: (UnsafePointer<Float>, UnsafePointer<Float>)? = nil) {
        let (h, w, ch) = (shape.h, shape.w, shape.c)
        let cx = Float(w - 1) / 2, cy = Float(h - 1) / 2
        withUnsafeTemporaryAllocation(of: Float.self, capacity: shape.count) { tmp in
            let src = tmp.baseAddress!
            src.update(from: image, count: shape.count)
            for y in 0..<h {
                for x in 0..<w {
                    let dx = Float(x) - cx - shift.0, dy = Float(y) - cy - shift.1
                    var sxp = m.0 * dx + m.1 * dy + cx, syp = m.2 * dx + m.3 * dy + cy
                    if let (ex, ey) = displacement { sxp += ex[y * w + x]; syp += ey[y * w + x] }
                    let x0 = Int(floorf(sxp)), y0 = Int(floorf(syp))
                    let fx = sxp - Float(x0), fy = syp - Float(y0)
                    for c in 0..<ch {
                        func at(_ yy: Int, _ xx: Int) -> Float {
                            (yy < 0 || yy >= h || xx < 0 || xx >= w) ? 0 : src[(yy * w + xx) * ch + c]
                        }
                        let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
                        let bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
                        image[(y * w + x) * ch + c] = top * (1 - fy) + bottom * fy
                    }
                }
            }
        }
    }
}
