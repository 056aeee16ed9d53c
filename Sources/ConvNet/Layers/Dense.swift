import CBLAS

/// Fully connected layer: y [n, O] = x [n, I] · Wᵀ + b, with W stored [O, I].
/// Backward: dW = dyᵀ · x,  db = Σ_n dy,  dx = dy · W.
public final class Dense: Layer {
    public let units: Int
    public let inputShape: Shape, outputShape: Shape
    public let weight: Parameter, bias: Parameter
    public let output = Buffer(), gradInput = Buffer()

    public var kind: String { "Dense" }
    public var baseName: String { "fc" }
    public var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? {
        Checked.product([inputShape.c, units]).map { (0, $0) }
    }
    public var spec: String { "dense\(units)" }
    public var parameters: [Parameter] { [weight, bias] }

    public init(input: Shape, units: Int) throws {
        guard units > 0 else { throw SpecError("a dense layer needs at least one unit") }
        guard input.isFlat else {
            throw SpecError("a dense layer needs a flat input, got \(input): add 'flatten' before it")
        }
        self.units = units
        inputShape = input
        outputShape = .flat(units)
        weight = Parameter("weight", shape: [units, input.c])
        bias = Parameter("bias", shape: [units])
    }

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let i = inputShape.c, o = units
        let y = output.reserve(n * o)
        Vector.fillRows(y, bias.value.pointer, rows: n, width: o)
        if n == 1 {
            // One image (every stroke in the app): a matrix-vector product reads W
            // once, where sgemm would first copy all of W into its packed layout
            // on every call.
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(o), Int32(i), 1, weight.value.pointer, Int32(i), x, 1, 1, y, 1)
            return
        }
        gemm(transB: true, m: n, n: o, k: i, a: x, lda: i, b: weight.value.pointer, ldb: i, beta: 1, c: y, ldc: o)
    }

    /// Where `DataParallel` wants this replica's shard of the batch gathered, for
    /// a weight gradient it computes once over the whole batch (see
    /// `PooledWeightGradient`); nil: backward computes dW itself.
    var pooled: (x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>)?

    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        let i = inputShape.c, o = units
        if let (px, pdy) = pooled {
            px.update(from: x, count: n * i)
            pdy.update(from: dy, count: n * o)
        } else {
            gemm(transA: true, m: o, n: i, k: n, a: dy, lda: o, b: x, ldb: i, c: weight.grad.pointer, ldc: i)
        }
        Vector.sumRows(dy, bias.grad.pointer, rows: n, width: o)
        guard needInputGrad else { return }
        gemm(m: n, n: i, k: o, a: dy, lda: o, b: weight.value.pointer, ldb: i,
             c: gradInput.reserve(n * i), ldc: i)
    }
}
