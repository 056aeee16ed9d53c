/// 2-D convolution over NHWC batches, as im2col followed by one matrix product.
///
/// Shapes (P = n·Ho·Wo output pixels, K = kh·kw·C values under one kernel):
///   col [P, K]   the patches, row p = the kh×kw×C inputs seen by output pixel p
///   W   [O, K]   kept in (ky, kx, c) order inside, exported as [O, C, kh, kw]
///   y   [P, O] = col · Wᵀ + b          (which is already NHWC; b is put in y first)
/// Backward:
///   dW [O, K] = dyᵀ · col,   db = Σ_p dy,   dcol [P, K] = dy · W,   dx = col2im(dcol)
/// Both run over chunks of a few images at a time (see `imagesPerChunk`).
public final class Conv2D: Layer {
    public let filters: Int, kernel: Int, stride: Int, same: Bool
    public let inputShape: Shape, outputShape: Shape
    public let weight: Parameter, bias: Parameter
    public let output = Buffer(), gradInput = Buffer()
    private let col = Buffer(), dcol = Buffer()
    let padTop: Int, padLeft: Int

    public var kind: String { "Conv2D" }
    public var baseName: String { "conv" }
    public var spec: String {
        "conv\(filters)k\(kernel)" + (stride != 1 ? "s\(stride)" : "") + (same ? "same" : "")
    }
    public var parameters: [Parameter] { [weight, bias] }
    var k: Int { kernel * kernel * inputShape.c }

    /// One image's patches, and a multiply-add per patch value and filter.
    public var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? {
        let patches = Checked.product([outputShape.h, outputShape.w, kernel, kernel, inputShape.c])
        guard let patches, let macs = Checked.product([patches, filters]) else { return nil }
        return (patches, macs)
    }

    public init(input: Shape, filters: Int, kernel: Int, stride: Int = 1, same: Bool = false) throws {
        guard filters > 0, kernel > 0, stride > 0 else {
            throw SpecError("a convolution needs positive filters, kernel and stride")
        }
        self.filters = filters; self.kernel = kernel; self.stride = stride; self.same = same
        inputShape = input
        let oh: Int, ow: Int
        if same {
            // Past 2·side − 1 a kernel centred on an edge pixel reaches beyond the
            // opposite edge: every window then only adds padding (and patches).
            guard kernel <= 2 * input.h - 1, kernel <= 2 * input.w - 1 else {
                throw SpecError("a \(kernel)×\(kernel) convolution is too large for its input \(input): at most \(2 * min(input.h, input.w) - 1) with same padding")
            }
            oh = (input.h + stride - 1) / stride
            ow = (input.w + stride - 1) / stride
            padTop = max((oh - 1) * stride + kernel - input.h, 0) / 2
            padLeft = max((ow - 1) * stride + kernel - input.w, 0) / 2
        } else {
            guard input.h >= kernel, input.w >= kernel else {
                throw SpecError("a \(kernel)×\(kernel) convolution does not fit its input \(input)")
            }
            oh = (input.h - kernel) / stride + 1
            ow = (input.w - kernel) / stride + 1
            padTop = 0; padLeft = 0
        }
        outputShape = Shape(oh, ow, filters)
        weight = Parameter("weight", shape: [filters, input.c, kernel, kernel])
        bias = Parameter("bias", shape: [filters])
        weight.layout = .convHWC(out: filters, in: input.c, kh: kernel, kw: kernel)
    }

    /// Images per im2col chunk: as many as keep the chunk's patches within
    /// `chunkBudget` floats, so they are still in cache when the product reads
    /// them. A large layer's whole batch of patches is tens of MB: written by
    /// im2col, read and packed by the product, read again by the weight
    /// gradient — each a trip to memory.
    var imagesPerChunk: Int {
        max(1, Conv2D.chunkBudget / max(1, outputShape.h * outputShape.w * k))
    }
    /// 2 MB: large enough that a small first layer's whole batch fits one chunk
    /// (backward then reuses forward's patches), small enough to stay in cache
    /// (docs/PERFORMANCE.md has the budgets tried).
    static let chunkBudget = 512 * 1024

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let rows = outputShape.h * outputShape.w, k = self.k, o = filters
        let y = output.reserve(n * rows * o)
        Vector.fillRows(y, bias.value.pointer, rows: n * rows, width: o)
        forEachChunk(n) { first, count in
            let p = count * rows
            let colp = col.reserve(p * k)
            im2col(x + first * inputShape.count, n: count, into: colp)
            gemm(transB: true, m: p, n: o, k: k, a: colp, lda: k, b: weight.value.pointer, ldb: k,
                 beta: 1, c: y + first * rows * o, ldc: o)
        }
        colHolds = imagesPerChunk >= n ? (x, n) : nil
    }

    /// The input whose whole batch of patches `col` holds, when one chunk took it all.
    private var colHolds: (x: UnsafePointer<Float>, n: Int)?

    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        let rows = outputShape.h * outputShape.w, k = self.k, o = filters
        Vector.sumRows(dy, bias.grad.pointer, rows: n * rows, width: o)
        let dx = needInputGrad ? gradInput.reserve(n * inputShape.count) : nil
        forEachChunk(n) { first, count in
            let p = count * rows, dyc = dy + first * rows * o
            // The patches again: cheaper to gather from the (cached) input than
            // to keep the whole batch's from forward and read them from memory.
            let colp: UnsafeMutablePointer<Float>
            if let held = colHolds, held.x == x, held.n == n {
                colp = col.pointer   // a small layer: forward's patches are all still here
            } else {
                colp = col.reserve(p * k)
                im2col(x + first * inputShape.count, n: count, into: colp)
            }
            gemm(transA: true, m: o, n: k, k: p, a: dyc, lda: o, b: colp, ldb: k,
                 beta: first == 0 ? 0 : 1, c: weight.grad.pointer, ldc: k)
            guard let dx else { return }
            let dc = dcol.reserve(p * k)
            gemm(m: p, n: k, k: o, a: dyc, lda: o, b: weight.value.pointer, ldb: k, c: dc, ldc: k)
            col2im(dc, n: count, into: dx + first * inputShape.count)
        }
    }

    /// Calls `body(first, count)` for consecutive chunks of `imagesPerChunk` images.
    private func forEachChunk(_ n: Int, _ body: (Int, Int) -> Void) {
        let per = imagesPerChunk
        var first = 0
        while first < n {
            body(first, min(per, n - first))
            first += per
        }
    }

    /// Gathers each output pixel's receptive field into one row of `col`,
    /// zeros where the kernel hangs over the padding.
    private func im2col(_ x: UnsafePointer<Float>, n: Int, into colp: UnsafeMutablePointer<Float>) {
        let (ih, iw, c) = (inputShape.h, inputShape.w, inputShape.c)
        let (oh, ow) = (outputShape.h, outputShape.w)
        let kk = kernel, s = stride, pt = padTop, pl = padLeft, k = self.k
        if c == 1 && kk == 3 && s == 1 && pt == 0 && pl == 0 {
            im2colGrey3x3(x, n: n, into: colp)
            return
        }
        parallelChunks(n) { images in
            for img in images {
                let xi = x + img * ih * iw * c
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var row = colp + ((img * oh + oy) * ow + ox) * k
                        for ky in 0..<kk {
                            let iy = oy * s - pt + ky
                            if iy < 0 || iy >= ih {
                                row.update(repeating: 0, count: kk * c)
                                row += kk * c
                                continue
                            }
                            let ix0 = ox * s - pl
                            if ix0 >= 0 && ix0 + kk <= iw {
                                // The kernel's row lies inside: kk pixels of c values, contiguous.
                                Vector.copy(xi + (iy * iw + ix0) * c, to: row, kk * c)
                                row += kk * c
                                continue
                            }
                            for kx in 0..<kk {
                                let ix = ix0 + kx
                                if ix < 0 || ix >= iw {
                                    row.update(repeating: 0, count: c)
                                } else {
                                    Vector.copy(xi + (iy * iw + ix) * c, to: row, c)
                                }
                                row += c
                            }
                        }
                    }
                }
            }
        }
    }

    /// The first layer of most digit models: one grey channel, 3×3, no padding.
    /// Each patch is nine scalars from three rows; written out plainly they cost a
    /// fraction of the general loop's bounds checks and short copies (which made
    /// im2col a fifth of seed003's instructions).
    private func im2colGrey3x3(_ x: UnsafePointer<Float>, n: Int, into colp: UnsafeMutablePointer<Float>) {
        let (ih, iw) = (inputShape.h, inputShape.w)
        let (oh, ow) = (outputShape.h, outputShape.w)
        parallelChunks(n) { images in
            for img in images {
                let xi = x + img * ih * iw
                var row = colp + img * oh * ow * 9
                for oy in 0..<oh {
                    let r0 = xi + oy * iw, r1 = r0 + iw, r2 = r1 + iw
                    for ox in 0..<ow {
                        row[0] = r0[ox]; row[1] = r0[ox + 1]; row[2] = r0[ox + 2]
                        row[3] = r1[ox]; row[4] = r1[ox + 1]; row[5] = r1[ox + 2]
                        row[6] = r2[ox]; row[7] = r2[ox + 1]; row[8] = r2[ox + 2]
                        row += 9
                    }
                }
            }
        }
    }

    /// The adjoint of im2col: adds each row of `dcol` back onto the inputs it came from.
    private func col2im(_ dc: UnsafePointer<Float>, n: Int, into dx: UnsafeMutablePointer<Float>) {
        let (ih, iw, c) = (inputShape.h, inputShape.w, inputShape.c)
        let (oh, ow) = (outputShape.h, outputShape.w)
        let kk = kernel, s = stride, pt = padTop, pl = padLeft, k = self.k
        parallelChunks(n) { images in
            for img in images {
                let xi = dx + img * ih * iw * c
                xi.update(repeating: 0, count: ih * iw * c)
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var row = dc + ((img * oh + oy) * ow + ox) * k
                        for ky in 0..<kk {
                            let iy = oy * s - pt + ky
                            if iy < 0 || iy >= ih { row += kk * c; continue }
                            let ix0 = ox * s - pl
                            if ix0 >= 0 && ix0 + kk <= iw {
                                Vector.add(row, into: xi + (iy * iw + ix0) * c, kk * c)
                                row += kk * c
                                continue
                            }
                            for kx in 0..<kk {
                                let ix = ix0 + kx
                                if ix >= 0 && ix < iw { Vector.add(row, into: xi + (iy * iw + ix) * c, c) }
                                row += c
                            }
                        }
                    }
                }
            }
        }
    }
}
