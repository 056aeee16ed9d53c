import Dispatch

/// Data-parallel training steps: a batch is cut into one contiguous shard per
/// thread; each shard runs forward and backward on its own replica of the
/// network (sharing the weights, owning its activations and gradients) with
/// single-threaded BLAS, and the replicas' gradients are summed into the main
/// network's as the optimizer steps.
///
/// Why not let OpenBLAS split each product? At batch 64 the products are small
/// and short, OpenBLAS's workers wait on each other between them, and the
/// element-wise layers in between run on one core: a second core gained little
/// that way (docs/PERFORMANCE.md). Whole shards side by side keep every core busy
/// from the first layer to the last and synchronise once per batch.
///
/// With one thread this is the plain step on the network itself. With `ways`
/// threads a run is still deterministic (fixed shards, fixed summation order),
/// but its dropout masks and rounding differ from a run with another thread count.
final class DataParallel {
    let network: Network
    let ways: Int
    /// Label smoothing ε of the loss (TrainingSettings.labelSmoothing).
    var labelSmoothing: Float = 0
    /// replicas[0] is `network` itself.
    private let replicas: [Network]
    private let dLogits: [Buffer]
    private let params: [[Parameter]]
    /// Large dense layers whose weight gradient is computed once per batch.
    private let pooled: [PooledWeightGradient]
    /// Which entries of `params[0]` those fill for the whole batch.
    private let isPooled: [Bool]
    /// Per shard, kept so that a step allocates nothing.
    private let seeds: UnsafeMutablePointer<UInt64>
    private let results: UnsafeMutablePointer<(loss: Double, correct: Int)>

    /// `poolAll`: pool every dense layer's weight gradient, not only those where
    /// it pays (tests use it to cover small layers).
    init(network: Network, ways: Int, poolAll: Bool = false) {
        self.network = network
        let nets = network.replicas(max(1, ways))
        replicas = nets
        self.ways = nets.count
        dLogits = nets.map { _ in Buffer() }
        params = nets.map { $0.layers.flatMap(\.parameters) }
        // Every gradient now, before the shards' threads write them.
        for p in params.joined() { p.allocate(gradient: true) }
        let large = nets.count < 2 ? [] : network.layers.indices.filter { l in
            guard let d = network.layers[l] as? Dense else { return false }
            return poolAll || PooledWeightGradient.pays(d)
        }
        pooled = large.map { l in PooledWeightGradient(nets.map { $0.layers[l] as! Dense }) }
        let pooledWeights = large.map { ObjectIdentifier((network.layers[$0] as! Dense).weight) }
        isPooled = params[0].map { pooledWeights.contains(ObjectIdentifier($0)) }
        seeds = .allocate(capacity: nets.count)
        seeds.initialize(repeating: 0, count: nets.count)
        results = .allocate(capacity: nets.count)
        results.initialize(repeating: (0, 0), count: nets.count)
    }

    deinit {
        seeds.deallocate()
        results.deallocate()
    }

    /// How many replicas hold a part of the last step's gradient (1: it is all in `network`).
    private var pendingShards = 1

    /// Forward and backward over `m` examples at `x`, leaving the gradient of the
    /// batch's mean loss spread over the replicas: `update` sums and applies it,
    /// `sumGradients` only sums it into `network`. Returns the summed loss and
    /// the number of right answers.
    func step(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch m: Int,
              rng: inout RNG) -> (loss: Double, correct: Int) {
        let k = network.classes, size = network.inputShape.count
        let shards = min(ways, m)
        pendingShards = shards
        if shards == 1 {
            let z = network.forward(x, batch: m, training: true, rng: &rng)
            let g = dLogits[0].reserve(m * k)
            let r = SoftmaxCrossEntropy.evaluate(logits: z, labels: labels, batch: m, classes: k, grad: g,
                                                 smoothing: labelSmoothing)
            network.backward(x, dLogits: g, batch: m)
            return r
        }
        for s in 0..<shards { seeds[s] = rng.next() }
        let seeds = self.seeds, results = self.results, smoothing = labelSmoothing
        for p in pooled { p.prepare(batch: m, shards: shards) }
        defer { for p in pooled { p.finish() } }
        Threads.withSerialBLAS {
            DispatchQueue.concurrentPerform(iterations: shards) { s in
                ShardContext.run {
                    let lo = m * s / shards, n = m * (s + 1) / shards - lo
                    let net = replicas[s]
                    var own = RNG(seed: seeds[s])
                    let z = net.forward(x + lo * size, batch: n, training: true, rng: &own)
                    let g = dLogits[s].reserve(n * k)
                    results[s] = SoftmaxCrossEntropy.evaluate(logits: z, labels: labels + lo, batch: n,
                                                              classes: k, grad: g, meanOver: m, smoothing: smoothing)
                    net.backward(x + lo * size, dLogits: g, batch: n)
                }
            }
            if !pooled.isEmpty {
                DispatchQueue.concurrentPerform(iterations: shards) { t in
                    for p in pooled { p.compute(batch: m, thread: t, of: shards) }
                }
            }
        }
        var total = (loss: 0.0, correct: 0)
        for s in 0..<shards { total.loss += results[s].loss; total.correct += results[s].correct }
        return total
    }

    /// Steps `optimizer` with the last step's gradient. The replicas' parts are
    /// added block by block just before each block is updated, while it is in
    /// cache: one pass over the gradients instead of a summing pass and then an
    /// update pass.
    func update(_ optimizer: Optimizer) {
        let shards = pendingShards
        pendingShards = 1
        guard shards > 1 else { optimizer.update(params[0]); return }
        optimizer.update(params[0]) { i, range in self.addReplicaGradients(i, range, shards) }
    }

    /// network's gradients += every other replica's (for callers that want the
    /// whole gradient without an update).
    func sumGradients() {
        let shards = pendingShards
        pendingShards = 1
        guard shards > 1 else { return }
        forEachSegment(of: params[0]) { i, range in addReplicaGradients(i, range, shards) }
    }

    private func addReplicaGradients(_ i: Int, _ range: Range<Int>, _ shards: Int) {
        guard !isPooled[i] else { return }   // already the whole batch's
        let dst = params[0][i].grad.pointer + range.lowerBound
        for s in 1..<shards {
            Vector.add(params[s][i].grad.pointer + range.lowerBound, into: dst, range.count)
        }
    }
}
