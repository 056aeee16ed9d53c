import Glibc

/// Element-wise activation functions. Each keeps the shape of its input.
public final class Activation: Layer {
    public enum Function: String, CaseIterable { case relu, sigmoid, tanh }
    public let function: Function
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public let output = Buffer(), gradInput = Buffer()

    public var kind: String { "Activation(\(function.rawValue))" }
    public var baseName: String { function.rawValue }
    public var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? { (0, 0) }
    public var spec: String { function.rawValue }

    public init(input: Shape, _ function: Function) {
        inputShape = input
        self.function = function
    }

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let count = n * inputShape.count
        let y = output.reserve(count)
        switch function {
        case .relu: Vector.relu(x, y, count)
        case .sigmoid: for i in 0..<count { y[i] = 1 / (1 + expf(-x[i])) }
        case .tanh: for i in 0..<count { y[i] = tanhf(x[i]) }
        }
    }

    /// Uses the stored output: relu' = [y > 0], sigmoid' = y(1−y), tanh' = 1−y².
    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        guard needInputGrad else { return }
        let count = n * inputShape.count
        let dx = gradInput.reserve(count), y = output.pointer
        switch function {
        case .relu: Vector.reluBackward(y, dy, dx, count)
        case .sigmoid: for i in 0..<count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .tanh: for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        }
    }
}

/// Inverted dropout: during training each value is zeroed with probability `rate`
/// and the survivors scaled by 1/(1−rate), so inference is the identity.
public final class Dropout: Layer {
    public let rate: Float
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public let output = Buffer(), gradInput = Buffer()
    private let mask = Buffer()

    public var kind: String { "Dropout" }
    public var baseName: String { "dropout" }
    /// The mask.
    public var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? {
        Checked.product([inputShape.h, inputShape.w, inputShape.c]).map { ($0, 0) }
    }
    public var spec: String { "drop\(formatRate(rate))" }

    public init(input: Shape, rate: Float) throws {
        guard rate >= 0, rate < 1 else { throw SpecError("a dropout rate must be in [0, 1), got \(rate)") }
        inputShape = input
        self.rate = rate
    }

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let count = n * inputShape.count
        let y = output.reserve(count)
        guard training && rate > 0 else {
            // No mask now: a backward after this pass (an input gradient) must
            // not apply a mask left by an earlier training batch of the same size.
            mask.reserve(0)
            y.update(from: x, count: count)
            return
        }
        let m = mask.reserve(count), keep = 1 / (1 - rate)
        // The same draws as `rng.uniform() < rate`, compared as integers (the 24
        // bits times 2⁻²⁴ are exact), on a local copy of the generator so that
        // its state stays in registers (docs/PERFORMANCE.md).
        let below = UInt64((Double(rate) * 16_777_216).rounded(.up))
        var r = rng
        defer { rng = r }
        for i in 0..<count {
            let mi: Float = r.next() >> 40 < below ? 0 : keep
            m[i] = mi
            y[i] = x[i] * mi
        }
    }

    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        guard needInputGrad else { return }
        let count = n * inputShape.count
        let dx = gradInput.reserve(count)
        if rate > 0 && mask.count == count {
            let m = mask.pointer
            for i in 0..<count { dx[i] = dy[i] * m[i] }
        } else {
            dx.update(from: dy, count: count)
        }
    }
}

func formatRate(_ r: Float) -> String {
    var s = String(r)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

/// Flattens (h, w, c) to one vector in channel-major order (c, h, w), the order
/// PyTorch's `flatten` produces, so that exported dense weights match a PyTorch
/// model of the same architecture.
public final class Flatten: Layer {
    public let inputShape: Shape, outputShape: Shape
    public let output = Buffer(), gradInput = Buffer()
    public var kind: String { "Flatten" }
    public var baseName: String { "flatten" }
    public var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? { (0, 0) }
    public var spec: String { "flatten" }

    public init(input: Shape) {
        inputShape = input
        outputShape = .flat(input.count)
    }

    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {
        let (h, w, c) = (inputShape.h, inputShape.w, inputShape.c), hw = h * w, size = inputShape.count
        let y = output.reserve(n * size)
        for img in 0..<n {
            let xi = x + img * size, yi = y + img * size
            for p in 0..<hw { for ch in 0..<c { yi[ch * hw + p] = xi[p * c + ch] } }
        }
    }

    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {
        guard needInputGrad else { return }
        let (h, w, c) = (inputShape.h, inputShape.w, inputShape.c), hw = h * w, size = inputShape.count
        let dx = gradInput.reserve(n * size)
        for img in 0..<n {
            let di = dx + img * size, gi = dy + img * size
            for p in 0..<hw { for ch in 0..<c { di[p * c + ch] = gi[ch * hw + p] } }
        }
    }
}
