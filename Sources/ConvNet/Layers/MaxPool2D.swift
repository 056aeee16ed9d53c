/// Max pooling over non-overlapping size×size windows (stride = size, Keras' default),
/// flooring odd sizes as Keras does. Remembers where each maximum came from so
/// that backward routes the gradient to that one input.
public final class MaxPool2D: Layer {
    public let size: Int
    public let inputShape: Shape, outputShape: Shape
    public let output = Buffer(), gradInput = Buffer()
    private let argmax = IndexBuffer()
    /// For 2×2 windows: which of the four inputs won (0 top-left, 1 top-right,
    /// 2 bottom-left, 3 bottom-right), as floats so backward compares them in
    /// float SIMD lanes.
    private let winner = Buffer()

    public var kind: String { "MaxPooling2D" }
    public var baseName: String { "pool" }
    /// Where each maximum came from.
    public var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? {
        Checked.product([outputShape.h, outputShape.w, outputShape.c]).map { ($0, 0) }
    }
    public var spec: String { "pool\(size)" }

    public init(input: Shape, size: Int) throws {
        guard size > 0, input.h >= size, input.w >= size else {
            throw SpecError("a \(size)×\(size) pooling does not fit its input \(input)")
        }
        self.size = size
        inputShape = input
        outputShape = Shape(input.h / size, input.w / size, input.c)
    }

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let (ih, iw, c) = (inputShape.h, inputShape.w, inputShape.c)
        let (oh, ow) = (outputShape.h, outputShape.w)
        let s = size
        let y = output.reserve(n * outputShape.count)
        if s == 2 {
            forward2x2(x, y, winner.reserve(n * outputShape.count), n: n)
            return
        }
        let am = argmax.reserve(n * outputShape.count)
        parallelChunks(n, minimumPerChunk: 8) { images in
            for img in images {
                let xi = x + img * ih * iw * c
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let o = ((img * oh + oy) * ow + ox) * c
                        // Start from the window's top-left pixel, then scan the rest.
                        let first = ((oy * s) * iw + ox * s) * c
                        for ch in 0..<c { y[o + ch] = xi[first + ch]; am[o + ch] = Int32(first + ch) }
                        for dy in 0..<s {
                            for dx in 0..<s where dy | dx != 0 {
                                let base = ((oy * s + dy) * iw + ox * s + dx) * c
                                for ch in 0..<c where xi[base + ch] > y[o + ch] {
                                    y[o + ch] = xi[base + ch]
                                    am[o + ch] = Int32(base + ch)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The common 2×2 case: four candidates per output, compared channel by channel
    /// with selects rather than branches so the loop vectorises.
    private func forward2x2(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ won: UnsafeMutablePointer<Float>, n: Int) {
        let (ih, iw, c) = (inputShape.h, inputShape.w, inputShape.c)
        let (oh, ow) = (outputShape.h, outputShape.w)
        parallelChunks(n, minimumPerChunk: 8) { images in
            for img in images {
                let xi = x + img * ih * iw * c
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let o = ((img * oh + oy) * ow + ox) * c
                        let i0 = ((2 * oy) * iw + 2 * ox) * c, i1 = i0 + c, i2 = i0 + iw * c, i3 = i2 + c
                        for ch in 0..<c {
                            let a = xi[i0 + ch], b = xi[i1 + ch], d = xi[i2 + ch], e = xi[i3 + ch]
                            let ab = b > a, de = e > d
                            let m1 = ab ? b : a, w01: Float = ab ? 1 : 0
                            let m2 = de ? e : d, w23: Float = de ? 3 : 2
                            let bottom = m2 > m1    // ties go to the first, as the general loop
                            y[o + ch] = bottom ? m2 : m1
                            won[o + ch] = bottom ? w23 : w01
                        }
                    }
                }
            }
        }
    }

    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        guard needInputGrad else { return }
        let inCount = inputShape.count, outCount = outputShape.count
        let dx = gradInput.reserve(n * inCount)
        if size == 2 {
            backward2x2(dy, dx, n: n)
            return
        }
        let am = argmax.pointer
        parallelChunks(n, minimumPerChunk: 8) { images in
            dx.advanced(by: images.lowerBound * inCount).update(repeating: 0, count: images.count * inCount)
            for img in images {
                let d = dx + img * inCount
                for j in 0..<outCount { d[Int(am[img * outCount + j])] += dy[img * outCount + j] }
            }
        }
    }

    /// 2×2 windows tile the input, so every input gets its value written once —
    /// the window's gradient where it was the maximum, else zero — instead of
    /// clearing the whole gradient and scattering into it (a second pass over
    /// the largest activation of the network).
    private func backward2x2(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, n: Int) {
        let (ih, iw, c) = (inputShape.h, inputShape.w, inputShape.c)
        let (oh, ow) = (outputShape.h, outputShape.w)
        let inCount = inputShape.count, outCount = outputShape.count
        let won = UnsafePointer(winner.pointer)
        parallelChunks(n, minimumPerChunk: 8) { images in
            for img in images {
                let d = dx + img * inCount, g = dy + img * outCount, w = won + img * outCount
                // An odd last row or column lies outside every window (floored, as Keras).
                if ih % 2 == 1 { (d + (ih - 1) * iw * c).update(repeating: 0, count: iw * c) }
                if iw % 2 == 1 { for y in 0..<(2 * oh) { (d + (y * iw + iw - 1) * c).update(repeating: 0, count: c) } }
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let o = (oy * ow + ox) * c
                        let i0 = ((2 * oy) * iw + 2 * ox) * c, i1 = i0 + c, i2 = i0 + iw * c, i3 = i2 + c
                        var ch = 0
                        while ch + 16 <= c {
                            let v = Vector.load(g + o + ch), at = Vector.load(w + o + ch), zero = Vector.V()
                            Vector.store(zero.replacing(with: v, where: at .== 0), d + i0 + ch)
                            Vector.store(zero.replacing(with: v, where: at .== 1), d + i1 + ch)
                            Vector.store(zero.replacing(with: v, where: at .== 2), d + i2 + ch)
                            Vector.store(zero.replacing(with: v, where: at .== 3), d + i3 + ch)
                            ch += 16
                        }
                        while ch < c {
                            let v = g[o + ch], at = w[o + ch]
                            d[i0 + ch] = at == 0 ? v : 0
                            d[i1 + ch] = at == 1 ? v : 0
                            d[i2 + ch] = at == 2 ? v : 0
                            d[i3 + ch] = at == 3 ? v : 0
                            ch += 1
                        }
                    }
                }
            }
        }
    }
}
