/// A trainable tensor with its gradient. `shape` follows the documented weight
/// convention (PyTorch's): conv weights [out, in, kh, kw], dense weights [out, in].
public final class Parameter {
    public let name: String          // "weight" or "bias"; the model adds the layer's prefix
    public let shape: [Int]
    /// Shared between a network and its training replicas (see DataParallel).
    /// Allocated on first use, or by `Network`'s init once its whole spec has
    /// been checked against `ModelLimits`: building a layer allocates nothing,
    /// so that a spec is sized before any storage exists.
    public internal(set) lazy var value: Buffer = Parameter.storage(count)
    /// Allocated on first use, or for every replica when training starts
    /// (`DataParallel`): a network that only predicts never needs it.
    public private(set) lazy var grad: Buffer = Parameter.storage(count)
    /// Only read after the spec's sizes were checked (`ModelSize`), which
    /// multiplies the same shape with overflow checks.
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
    }

    /// Allocates the value, and the gradient when asked, now, on this thread:
    /// lazy storage is not safe to create from several threads at once, and
    /// the training threads share the main network's parameters.
    func allocate(gradient: Bool) {
        _ = value
        if gradient { _ = grad }
    }

    private static func storage(_ n: Int) -> Buffer {
        let b = Buffer(n)
        b.reserve(n)
        return b
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
    /// The layer's name without its number: "conv", "fc", "pool", "relu", …
    /// The network numbers each base in order (conv1, conv2, fc1, …), and a
    /// layer's parameters are exported under that name (conv1.weight), so a
    /// layer with parameters can never be left out of a weights file.
    var baseName: String { get }
    /// The token of the compact spec that builds this layer, e.g. "conv32k3".
    var spec: String { get }
    var inputShape: Shape { get }
    var outputShape: Shape { get }
    var parameters: [Parameter] { get }
    var output: Buffer { get }
    var gradInput: Buffer { get }
    /// What one image costs beyond the layer's output, for `ModelLimits`:
    /// floats of scratch buffers (patches, masks, winners) and multiply-adds
    /// of its forward pass. Nil when a count overflows. Computed with
    /// `Checked` arithmetic, from shapes alone, before anything is allocated.
    var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? { get }
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
