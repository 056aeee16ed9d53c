import Glibc

/// A sequential network: layers applied one after another to NHWC batches,
/// ending in class scores (logits). Reads top to bottom like its spec.
public final class Network {
    public let inputShape: Shape
    public let layers: [Layer]
    /// The model's name when it is one of `Architectures`, else nil.
    public let name: String?
    /// When set, seconds spent in each layer's forward and backward are added here.
    public var timing: (forward: [Double], backward: [Double])?

    /// Refuses a spec beyond `ModelLimits` before allocating anything.
    public convenience init(spec nameOrSpec: String) throws {
        let (input, layers) = try Spec.parse(Architectures.spec(for: nameOrSpec))
        self.init(input: input, layers: layers)
    }

    /// Takes layers from `Spec.parse` (checked, without storage yet) and
    /// allocates their parameters' values (gradients wait for training).
    init(input: Shape, layers: [Layer]) {
        inputShape = input
        self.layers = layers
        name = Architectures.name(forSpec: Spec.text(input: input, layers: layers))
        for layer in layers { for p in layer.parameters { p.allocate(gradient: false) } }
    }

    /// The canonical spec (what is written into weight files).
    public var spec: String { Spec.text(input: inputShape, layers: layers) }
    public var classes: Int { layers.last!.outputShape.c }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Names for summaries and figures: conv1, relu1, pool1, fc1, dropout1, flatten1, …
    /// (each layer's `baseName`, numbered in order).
    public var layerNames: [String] { Network.names(of: layers) }

    /// Parameters under their exported names: conv1.weight, conv1.bias, …, fc1.weight, …
    /// (the layer's name, then the parameter's): every layer's parameters.
    public var namedParameters: [(name: String, parameter: Parameter)] { Network.namedParameters(of: layers) }

    static func names(of layers: [Layer]) -> [String] {
        var counters: [String: Int] = [:]
        return layers.map { layer in
            counters[layer.baseName, default: 0] += 1
            return "\(layer.baseName)\(counters[layer.baseName]!)"
        }
    }

    /// Also for layers not yet in a network: a weights file is compared with
    /// them before their storage is allocated.
    static func namedParameters(of layers: [Layer]) -> [(name: String, parameter: Parameter)] {
        zip(names(of: layers), layers).flatMap { name, layer in
            layer.parameters.map { (name: "\(name).\($0.name)", parameter: $0) }
        }
    }

    public enum Initializer: String, CaseIterable, Sendable {
        /// Keras' default: uniform in ±√(6 / (fan_in + fan_out)).
        case glorot
        /// He (Kaiming) uniform, suited to ReLU: ±√(6 / fan_in).
        case he
    }

    /// Random weights by `scheme` (fans count the kernel's area) and zero biases.
    public func initialize(rng: inout RNG, scheme: Initializer = .glorot) {
        for layer in layers {
            for p in layer.parameters {
                let v = p.value.pointer
                if p.name == "bias" { v.update(repeating: 0, count: p.count); continue }
                let receptive = p.shape.dropFirst(2).reduce(1, *)
                let fanIn = p.shape[1] * receptive, fanOut = p.shape[0] * receptive
                let limit = scheme == .glorot ? (6 / Float(fanIn + fanOut)).squareRoot() : (6 / Float(fanIn)).squareRoot()
                for i in 0..<p.count { v[i] = rng.uniform(-limit, limit) }
            }
        }
    }

    /// Runs `n` examples through every layer; returns the logits [n, classes].
    /// Each layer's `output` then holds its activations (the app's feature maps).
    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) -> UnsafePointer<Float> {
        var input = x
        for (i, layer) in layers.enumerated() {
            let t0 = timing == nil ? 0 : now()
            layer.forward(input, batch: n, training: training, rng: &rng)
            if timing != nil { timing!.forward[i] += now() - t0 }
            input = UnsafePointer(layer.output.pointer)
        }
        return input
    }

    /// Backpropagates `dLogits` [n, classes] through the layers, filling every
    /// parameter's gradient. Must follow a `forward` of the same batch.
    /// `inputGradient`: also the gradient with respect to the images, left in
    /// `layers[0].gradInput` (see `inputGradient(of:logitWeights:)`).
    public func backward(_ x: UnsafePointer<Float>, dLogits: UnsafePointer<Float>, batch n: Int, inputGradient: Bool = false) {
        var dy = dLogits
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let input = i == 0 ? x : UnsafePointer(layers[i - 1].output.pointer)
            // Training never needs the first layer's input gradient, the most costly one.
            let t0 = timing == nil ? 0 : now()
            layers[i].backward(input, dy, batch: n, needInputGrad: i > 0 || inputGradient)
            if timing != nil { timing!.backward[i] += now() - t0 }
            dy = UnsafePointer(layers[i].gradInput.pointer)
        }
    }

    public func startTiming() { timing = ([Double](repeating: 0, count: layers.count), [Double](repeating: 0, count: layers.count)) }

    /// Class probabilities for `n` examples, in chunks so memory stays bounded.
    public func predict(_ images: [Float], count n: Int, chunk: Int = 256) -> [Float] {
        precondition(images.count == n * inputShape.count)
        var probs = [Float](repeating: 0, count: n * classes)
        var rng = RNG(seed: 0)
        let k = classes
        images.withUnsafeBufferPointer { xb in
            probs.withUnsafeMutableBufferPointer { pb in
                var start = 0
                while start < n {
                    let m = min(chunk, n - start)
                    let logits = forward(xb.baseAddress! + start * inputShape.count, batch: m, training: false, rng: &rng)
                    for r in 0..<m { softmax(logits + r * k, into: pb.baseAddress! + (start + r) * k, count: k) }
                    start += m
                }
            }
        }
        return probs
    }

    /// This network and `count - 1` others of the same spec that read its weights
    /// (shared, not copied) and own their activations and gradients: one per
    /// thread of a data-parallel loop. Made once and kept, so that training and
    /// the evaluations between epochs share them instead of each growing its own.
    func replicas(_ count: Int) -> [Network] {
        while twins.count < count - 1 {
            // The spec parsed once already, so it parses again.
            let twin = try! Network(spec: spec)
            for (mine, theirs) in zip(twin.layers.flatMap(\.parameters), layers.flatMap(\.parameters)) {
                mine.value = theirs.value
            }
            twins.append(twin)
        }
        return [self] + twins.prefix(max(0, count - 1))
    }
    private var twins: [Network] = []

    /// Copies all parameter values from `other` (same spec) into this network.
    public func copyWeights(from other: Network) {
        precondition(other.spec == spec)
        for (a, b) in zip(namedParameters, other.namedParameters) {
            a.parameter.value.pointer.update(from: b.parameter.value.pointer, count: a.parameter.count)
        }
    }
}

/// Numerically stable softmax of one row.
@inline(__always)
public func softmax(_ z: UnsafePointer<Float>, into p: UnsafeMutablePointer<Float>, count k: Int) {
    var m = z[0]
    for j in 1..<k where z[j] > m { m = z[j] }
    var sum: Float = 0
    for j in 0..<k { p[j] = expf(z[j] - m); sum += p[j] }
    let inv = 1 / sum
    for j in 0..<k { p[j] *= inv }
}
