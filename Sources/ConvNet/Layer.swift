/// A trainable tensor with its gradient. `shape` follows the documented weight
/// convention (PyTorch's): conv weights [out, in, kh, kw], dense weights [out, in].
public final class Parameter {
    public let name: String          // "weight" or "bias"; the model adds the layer's prefix
    public let shape: [Int]
    /// Shared between a network and its training replicas (see DataParallel).
    public internal(set) var value: Buffer
    public let grad: Buffer
    public var count: Int { shape.reduce(1, *) }
    /// How `value` is ordered inside the engine, when that differs from `shape`'s order.
    public internal(set) var layout: Layout = .plain

    public enum Layout: Equatable {
        case plain
        /// Stored [out, kh, kw, in] (so im2col copies whole pixels), exported [out, in, kh, kw].
        case convHWC(out: Int, in: Int, kh: Int, kw: Int)
    }

    init(_ name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
        let n = shape.reduce(1, *)
        value = Buffer(n); value.reserve(n)
        grad = Buffer(n); grad.reserve(n)
    }
}

/// One stage of a sequential network, working on whole batches of NHWC examples.
///
/// `forward` reads `n` inputs of `inputShape` and fills `output`;
/// `backward` reads the same inputs and the gradient with respect to `output`,
/// writes the parameters' gradients and, when asked, `gradInput`.
public protocol Layer: AnyObject {
    /// Keras-style kind for summaries: "Conv2D", "MaxPooling2D", …
    var kind: String { get }
    /// The token of the compact spec that builds this layer, e.g. "conv32k3".
    var spec: String { get }
    var inputShape: Shape { get }
    var outputShape: Shape { get }
    var parameters: [Parameter] { get }
    var output: Buffer { get }
    var gradInput: Buffer { get }
    func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG)
    func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool)
}

public extension Layer {
    var parameters: [Parameter] { [] }
    var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}

public extension Parameter {
    /// The values in the documented (exported) order.
    func exported() -> [Float] {
        let v = value.array
        guard case let .convHWC(o, c, kh, kw) = layout else { return v }
        var e = [Float](repeating: 0, count: v.count)
        for oi in 0..<o { for ci in 0..<c { for y in 0..<kh { for x in 0..<kw {
            e[((oi * c + ci) * kh + y) * kw + x] = v[((oi * kh + y) * kw + x) * c + ci]
        } } } }
        return e
    }

    /// Sets the values from the documented (exported) order.
    func load(exported e: [Float]) {
        precondition(e.count == count)
        let v = value.pointer
        guard case let .convHWC(o, c, kh, kw) = layout else {
            e.withUnsafeBufferPointer { v.update(from: $0.baseAddress!, count: e.count) }
            return
        }
        for oi in 0..<o { for ci in 0..<c { for y in 0..<kh { for x in 0..<kw {
            v[((oi * kh + y) * kw + x) * c + ci] = e[((oi * c + ci) * kh + y) * kw + x]
        } } } }
    }
}
