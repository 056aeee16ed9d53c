/// 2-D convolution over NHWC batches, as im2col followed by one matrix product.
///
/// Shapes (P = n·Ho·Wo output pixels, K = kh·kw·C values under one kernel):
///   col [P, K]   the patches, row p = the kh×kw×C inputs seen by output pixel p
///   W   [O, K]   kept in (ky, kx, c) order inside, exported as [O, C, kh, kw]
///   y   [P, O] = col · Wᵀ + b          (which is already NHWC)
/// Backward:
///   dW [O, K] = dyᵀ · col,   db = Σ_p dy,   dcol [P, K] = dy · W,   dx = col2im(dcol)
public final class Conv2D: Layer {
    public let filters: Int, kernel: Int, stride: Int, same: Bool
    public let inputShape: Shape, outputShape: Shape
    public let weight: Parameter, bias: Parameter
    public let output = Buffer(), gradInput = Buffer()
    private let col = Buffer(), dcol = Buffer()
    let padTop: Int, padLeft: Int

    public var kind: String { "Conv2D" }
    public var spec: String {
        "conv\(filters)k\(kernel)" + (stride != 1 ? "s\(stride)" : "") + (same ? "same" : "")
    }
    public var parameters: [Parameter] { [weight, bias] }
    var k: Int { kernel * kernel * inputShape.c }

    public init(input: Shape, filters: Int, kernel: Int, stride: Int = 1, same: Bool = false) throws {
        guard filters > 0, kernel > 0, stride > 0 else {
            throw SpecError("a convolution needs positive filters, kernel and stride")
        }
        self.filters = filters; self.kernel = kernel; self.stride = stride; self.same = same
        inputShape = input
        let oh: Int, ow: Int
        if same {
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

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let p = n * outputShape.h * outputShape.w, k = self.k, o = filters
        let colp = col.reserve(p * k)
        im2col(x, n: n, into: colp)
        let y = output.reserve(p * o)
        gemm(transB: true, m: p, n: o, k: k, a: colp, lda: k, b: weight.value.pointer, ldb: k, c: y, ldc: o)
        Vector.addRows(y, bias.value.pointer, rows: p, width: o)
    }

    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        let p = n * outputShape.h * outputShape.w, k = self.k, o = filters
        gemm(transA: true, m: o, n: k, k: p, a: dy, lda: o, b: col.pointer, ldb: k,
             c: weight.grad.pointer, ldc: k)
        Vector.sumRows(dy, bias.grad.pointer, rows: p, width: o)
        guard needInputGrad else { return }
        let dc = dcol.reserve(p * k)
        gemm(m: p, n: k, k: o, a: dy, lda: o, b: weight.value.pointer, ldb: k, c: dc, ldc: k)
        let dx = gradInput.reserve(n * inputShape.count)
        col2im(dc, n: n, into: dx)
    }

    /// Gathers each output pixel's receptive field into one row of `col`,
    /// zeros where the kernel hangs over the padding.
    private func im2col(_ x: UnsafePointer<Float>, n: Int, into colp: UnsafeMutablePointer<Float>) {
        let (ih, iw, c) = (inputShape.h, inputShape.w, inputShape.c)
        let (oh, ow) = (outputShape.h, outputShape.w)
        let kk = kernel, s = stride, pt = padTop, pl = padLeft, k = self.k
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
