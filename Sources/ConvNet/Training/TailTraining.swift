import Glibc

/// Training only the last layers of a network, from layer `first` on, over
/// inputs to that layer computed once (`Network.activations(before:)`): the
/// frozen layers' outputs never change, so they are not recomputed on every
/// step. Fine-tuning the dense head of a convolutional network this way costs a
/// millisecond a step instead of a full forward and backward pass (the
/// teaching measurements in docs/PERFORMANCE.md).
///
/// Single-threaded on purpose: its products are small, and the app runs it
/// beside the drawing thread, which must keep a core to itself.
public final class TailTrainer {
    public let network: Network
    /// Index of the first trained layer; the layers before it are frozen.
    public let first: Int
    /// A class whose output weights are left alone (the "not a digit" output,
    /// which teaching has no examples of): its row of the last dense layer gets
    /// no gradient, so its scores move only as far as the hidden layers do.
    public let frozenClass: Int?
    /// The strength of the pull back towards the weights training started from
    /// (`anchor` · (w − w₀) added to every gradient, "L2-SP"): the further a
    /// weight strays, the harder it is pulled, so what the network knew is kept.
    public var anchor: Float = 0
    private var start: [[Float]] = []
    private let optimizer: Optimizer
    private var layers: ArraySlice<Layer> { network.layers[first...] }
    private var params: [Parameter] { layers.flatMap(\.parameters) }
    private let batchX = Buffer(), dLogits = Buffer()

    /// `first` must be a layer index of `network` (0 trains everything).
    /// `optimizer`: Adam, or SGD with momentum 0.9.
    public init(network: Network, first: Int, frozenClass: Int?, learningRate: Float, optimizer kind: OptimizerKind = .adam) {
        precondition(first >= 0 && first < network.layers.count, "no layer \(first)")
        precondition(frozenClass.map { $0 >= 0 && $0 < network.classes } ?? true, "no class \(frozenClass!)")
        self.network = network
        self.first = first
        self.frozenClass = frozenClass
        optimizer = Optimizer(kind, learningRate: learningRate, momentum: kind == .sgd ? 0.9 : 0)
        for p in network.layers[first...].flatMap(\.parameters) { p.allocate(gradient: true) }
        start = saveWeights()
    }

    /// Floats per example at the input of layer `first`.
    public var inputSize: Int { network.layers[first].inputShape.count }

    /// One optimizer step on the `m` examples at `x` (`inputSize` floats each)
    /// towards `targets` (a probability for every class of every example: one-hot
    /// for a label, the original network's own answer for rehearsal); returns
    /// the batch's mean cross-entropy.
    @discardableResult
    public func step(_ x: UnsafePointer<Float>, targets: UnsafePointer<Float>, batch m: Int, rng: inout RNG) -> Double {
        let k = network.classes
        var input = x
        for layer in layers {
            layer.forward(input, batch: m, training: true, rng: &rng)
            input = UnsafePointer(layer.output.pointer)
        }
        let g = dLogits.reserve(m * k)
        let loss = TailTrainer.crossEntropy(logits: input, targets: targets, batch: m, classes: k, grad: g)
        var dy = UnsafePointer(g)
        for i in stride(from: network.layers.count - 1, through: first, by: -1) {
            let below = i == first ? x : UnsafePointer(network.layers[i - 1].output.pointer)
            network.layers[i].backward(below, dy, batch: m, needInputGrad: i > first)
            dy = UnsafePointer(network.layers[i].gradInput.pointer)
        }
        if let c = frozenClass, let last = layers.last as? Dense {
            let w = last.weight.grad.pointer + c * last.inputShape.c
            w.update(repeating: 0, count: last.inputShape.c)
            last.bias.grad.pointer[c] = 0
        }
        if anchor > 0 {
            for (p, w0) in zip(params, start) {
                let w = p.value.pointer, g = p.grad.pointer, a = anchor
                for j in 0..<p.count { g[j] += a * (w[j] - w0[j]) }
            }
        }
        optimizer.update(params) { _, _ in }
        return loss
    }

    /// Mean cross-entropy of softmax(logits) against target distributions, and
    /// its gradient (softmax − target) / m.
    static func crossEntropy(logits z: UnsafePointer<Float>, targets t: UnsafePointer<Float>, batch m: Int,
                             classes k: Int, grad: UnsafeMutablePointer<Float>) -> Double {
        var loss = 0.0
        let invM = 1 / Float(m)
        for r in 0..<m {
            let row = z + r * k, target = t + r * k, g = grad + r * k
            var top = row[0]
            for j in 1..<k where row[j] > top { top = row[j] }
            var sum: Float = 0
            for j in 0..<k { sum += expf(row[j] - top) }
            let logSum = logf(sum) + top
            for j in 0..<k {
                if target[j] > 0 { loss -= Double(target[j] * (row[j] - logSum)) }
                g[j] = (expf(row[j] - logSum) - target[j]) * invM
            }
        }
        return loss / Double(m)
    }

    /// `steps` steps on batches drawn from two pools at once: `own` (the examples
    /// to learn, with their labels) and `rehearsal` (examples the network already
    /// knows, with the probabilities it gave them before training: matching them
    /// keeps what it knew, far more closely than their labels would), `ownShare`
    /// of every batch from the first. Inputs are `inputSize` floats an example.
    /// Deterministic given `rng`. `progress(step, loss)` after every step;
    /// `shouldStop` ends early.
    public func train(own: (inputs: [Float], labels: [Int32]), rehearsal: (inputs: [Float], targets: [Float]),
                      steps: Int, batchSize: Int, ownShare: Double, rng: inout RNG,
                      progress: (Int, Double) -> Void = { _, _ in }, shouldStop: () -> Bool = { false }) {
        let size = inputSize, k = network.classes
        let rehearsed = rehearsal.targets.count / k
        precondition(own.inputs.count == own.labels.count * size && rehearsal.inputs.count == rehearsed * size
                     && rehearsal.targets.count == rehearsed * k)
        precondition(!own.labels.isEmpty && batchSize > 0 && own.labels.allSatisfy { $0 >= 0 && Int($0) < k })
        let fromOwn = rehearsed == 0 ? batchSize : max(1, min(batchSize, Int((Double(batchSize) * ownShare).rounded())))
        let targets = Buffer(batchSize * k)
        own.inputs.withUnsafeBufferPointer { ox in
            rehearsal.inputs.withUnsafeBufferPointer { rx in
                rehearsal.targets.withUnsafeBufferPointer { rt in
                    for s in 0..<steps {
                        let x = batchX.reserve(batchSize * size), t = targets.reserve(batchSize * k)
                        t.update(repeating: 0, count: batchSize * k)
                        for r in 0..<batchSize {
                            if r < fromOwn {
                                let i = rng.below(own.labels.count)
                                (x + r * size).update(from: ox.baseAddress! + i * size, count: size)
                                t[r * k + Int(own.labels[i])] = 1
                            } else {
                                let i = rng.below(rehearsed)
                                (x + r * size).update(from: rx.baseAddress! + i * size, count: size)
                                (t + r * k).update(from: rt.baseAddress! + i * k, count: k)
                            }
                        }
                        let loss = step(x, targets: t, batch: batchSize, rng: &rng)
                        progress(s + 1, loss)
                        if shouldStop() { return }
                    }
                }
            }
        }
    }

    /// The trained layers' weights, to start another run from the same point.
    public func saveWeights() -> [[Float]] { params.map { $0.value.array(count: $0.count) } }

    /// Puts back weights from `saveWeights`, and forgets the optimizer's state.
    public func restoreWeights(_ saved: [[Float]]) {
        precondition(saved.count == params.count)
        for (p, w) in zip(params, saved) {
            precondition(w.count == p.count)
            w.withUnsafeBufferPointer { p.value.pointer.update(from: $0.baseAddress!, count: p.count) }
        }
        optimizer.reset()
        start = saved
    }

    /// Class probabilities for `count` examples given at the input of layer `first`.
    public func probabilities(_ inputs: [Float], count n: Int, chunk: Int = 256) -> [Float] {
        precondition(inputs.count == n * inputSize)
        let k = network.classes, size = inputSize
        var probs = [Float](repeating: 0, count: n * k)
        var rng = RNG(seed: 0)
        inputs.withUnsafeBufferPointer { xb in
            probs.withUnsafeMutableBufferPointer { pb in
                var start = 0
                while start < n {
                    let m = min(chunk, n - start)
                    var input = xb.baseAddress! + start * size
                    for layer in layers {
                        layer.forward(input, batch: m, training: false, rng: &rng)
                        input = UnsafePointer(layer.output.pointer)
                    }
                    for r in 0..<m { softmax(input + r * k, into: pb.baseAddress! + (start + r) * k, count: k) }
                    start += m
                }
            }
        }
        return probs
    }
}

extension Network {
    /// What layer `index` receives for each image of `data` (the outputs of the
    /// layers before it, in inference mode), `layers[index].inputShape.count`
    /// floats an image, computed in chunks so that memory stays bounded by the result.
    /// `index` 0 gives the images themselves as floats.
    public func activations(before index: Int, of data: LabeledImages, chunk: Int = 128) -> [Float] {
        precondition(index >= 0 && index < layers.count && data.shape == inputShape)
        let size = layers[index].inputShape.count, n = data.count
        if index == 0 { return data.floatImages() }
        let x = Buffer(chunk * inputShape.count)
        var rng = RNG(seed: 0)
        return [Float](unsafeUninitializedCapacity: n * size) { out, filled in
            var start = 0
            while start < n {
                let m = min(chunk, n - start)
                data.gather(start..<(start + m), into: x.reserve(m * inputShape.count))
                var input = UnsafePointer(x.pointer)
                for layer in layers[..<index] {
                    layer.forward(input, batch: m, training: false, rng: &rng)
                    input = UnsafePointer(layer.output.pointer)
                }
                (out.baseAddress! + start * size).update(from: input, count: m * size)
                start += m
            }
            filled = n * size
        }
    }

    /// What `WeightsFile.load` demands of weights: every one a finite number, and
    /// finite class scores for a blank and a full image. Checked before a
    /// fine-tuned network is saved or put to use.
    public var isUsable: Bool {
        layers.flatMap(\.parameters).allSatisfy { p in
            UnsafeBufferPointer(start: p.value.pointer, count: p.count).allSatisfy(\.isFinite)
        } && (try? checkOutputsAreFinite()) != nil
    }

    /// The index of the first dense layer: where the classifier "head" of a
    /// convolutional network starts (nil when there is none).
    public var firstDenseLayer: Int? { layers.firstIndex { $0 is Dense } }
}

extension Buffer {
    func array(count n: Int) -> [Float] { Array(UnsafeBufferPointer(start: pointer, count: n)) }
}

extension Optimizer {
    /// Starts again from step 0 with no momentum or averages.
    func reset() {
        step = 0
        slots = []
    }
}

extension Threads {
    /// Runs `body` with every loop of the engine on the calling thread (as
    /// inside a data-parallel shard): for background work that must leave the
    /// other cores to someone else (the app's drawing thread while it teaches).
    /// OpenBLAS's own pool is set elsewhere (`whileReadingOneAtATime`).
    public static func onThisThreadOnly<T>(_ body: () -> T) -> T { ShardContext.run(body) }
}
