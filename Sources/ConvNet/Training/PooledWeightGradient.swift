/// The weight gradient of a large dense layer, computed once for the whole batch
/// while training on several shards.
///
/// Each shard's replica would otherwise write a full dW of its own (9.4 MB for
/// seed004's 9216→256 layer), which the optimizer then reads back and sums:
/// three extra trips to memory over the largest tensor, at the point of a step
/// where both cores wait on memory. Instead each replica's backward gathers its
/// shard's inputs and output gradients into one batch-wide pair of buffers, and
/// then every thread computes a band of dW's rows with one product over the
/// whole batch, straight into the main network's gradient.
final class PooledWeightGradient {
    /// Whether pooling pays for a layer: it saves three trips over dW (O·I
    /// floats) and costs a copy of the batch's inputs (64·I at batch 64), so it
    /// needs O well above 21 outputs, and enough weights to matter
    /// (docs/PERFORMANCE.md has what it measured per model).
    static func pays(_ d: Dense) -> Bool { d.units >= 64 && d.weight.count >= 1 << 16 }

    /// The layer's replicas, the first being the main network's.
    private let layers: [Dense]
    private let x = Buffer(), dy = Buffer()

    init(_ layers: [Dense]) { self.layers = layers }

    /// Points shard s's replica (examples lo..<lo+n of an m-example batch) at its
    /// rows of the gathering buffers for the coming backward pass.
    func prepare(batch m: Int, shards: Int) {
        let i = layers[0].inputShape.c, o = layers[0].units
        let px = x.reserve(m * i), pdy = dy.reserve(m * o)
        for s in 0..<shards {
            let lo = m * s / shards
            layers[s].pooled = (px + lo * i, pdy + lo * o)
        }
    }

    /// Puts every replica back to computing its own dW (a later one-shard step,
    /// gradient checks on the network itself).
    func finish() { for d in layers { d.pooled = nil } }

    /// dW[rows] = dyᵀ · x over the whole batch of `m` examples, for thread `t` of `threads`.
    func compute(batch m: Int, thread t: Int, of threads: Int) {
        let d = layers[0], i = d.inputShape.c, o = d.units
        let rows = (o * t / threads)..<(o * (t + 1) / threads)
        guard !rows.isEmpty else { return }
        gemm(transA: true, m: rows.count, n: i, k: m, a: dy.pointer + rows.lowerBound, lda: o, b: x.pointer, ldb: i,
             c: d.weight.grad.pointer + rows.lowerBound * i, ldc: i)
    }
}
