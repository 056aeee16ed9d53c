import ConvNet
import Glibc

/// Random small affine distortions of one image (rotation, scale, shear, shift),
/// resampled bilinearly: the variations of real handwriting that MNIST's
/// centred digits under-represent. Applied on the fly, a new draw every epoch.
public struct Augmentation: Sendable {
    public var maxRotationDegrees: Float = 12
    public var scaleRange: ClosedRange<Float> = 0.9...1.1
    public var maxShear: Float = 0.15
    public var maxShift: Float = 2.5

    public init() {}

    public var augmenter: Augmenter {
        let a = self
        return { image, shape, rng in a.apply(image, shape: shape, rng: &rng) }
    }

    public func apply(_ image: UnsafeMutablePointer<Float>, shape: Shape, rng: inout RNG) {
        let angle = rng.uniform(-maxRotationDegrees, maxRotationDegrees) * .pi / 180
        let sx = rng.uniform(scaleRange.lowerBound, scaleRange.upperBound)
        let sy = sx * rng.uniform(0.95, 1.05)
        let shear = rng.uniform(-maxShear, maxShear)
        let tx = rng.uniform(-maxShift, maxShift), ty = rng.uniform(-maxShift, maxShift)
        // Forward map A = R·Sh·S; we sample the source at A⁻¹(dst − centre − t) + centre.
        let c = cosf(angle), s = sinf(angle)
        let a00 = c * sx, a01 = (c * shear - s) * sy
        let a10 = s * sx, a11 = (s * shear + c) * sy
        let det = a00 * a11 - a01 * a10
        let i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det
        warp(image, shape: shape, inverse: (i00, i01, i10, i11), shift: (tx, ty))
    }

    /// Resamples every channel of `image` in place through the inverse affine map.
    func warp(_ image: UnsafeMutablePointer<Float>, shape: Shape, inverse m: (Float, Float, Float, Float), shift: (Float, Float)) {
        let (h, w, ch) = (shape.h, shape.w, shape.c)
        let cx = Float(w - 1) / 2, cy = Float(h - 1) / 2
        withUnsafeTemporaryAllocation(of: Float.self, capacity: shape.count) { tmp in
            let src = tmp.baseAddress!
            src.update(from: image, count: shape.count)
            for y in 0..<h {
                for x in 0..<w {
                    let dx = Float(x) - cx - shift.0, dy = Float(y) - cy - shift.1
                    let sxp = m.0 * dx + m.1 * dy + cx, syp = m.2 * dx + m.3 * dy + cy
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
