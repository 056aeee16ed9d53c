import XCTest
@testable import ConvNet

/// Data-parallel steps must compute the same gradient as one whole-batch step,
/// keep the replicas on the main network's weights, and stay deterministic.
final class DataParallelTests: XCTestCase {
    let spec = "in10x10x2-conv6k3-relu-pool2-conv5k3same-tanh-flatten-dense12-relu-dense10"

    private func batch(_ n: Int, seed: UInt64) -> (x: [Float], y: [Int32]) {
        var rng = RNG(seed: seed)
        return ((0..<(n * 200)).map { _ in rng.uniform(-1, 1) }, (0..<n).map { _ in Int32(rng.below(10)) })
    }

    private func gradients(ways: Int, batch n: Int, poolAll: Bool = false) throws
        -> (grads: [[Float]], loss: Double, correct: Int) {
        let net = try Network(spec: spec)
        var rng = RNG(seed: 4)
        net.initialize(rng: &rng)
        let parallel = DataParallel(network: net, ways: ways, poolAll: poolAll)
        XCTAssertEqual(parallel.ways, ways)
        let (x, y) = batch(n, seed: 9)
        let r = x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
            parallel.step(xb.baseAddress!, labels: yb.baseAddress!, batch: n, rng: &rng)
        } }
        parallel.sumGradients()
        return (net.layers.flatMap(\.parameters).map(\.grad.array), r.loss, r.correct)
    }

    func testShardsAddUpToTheWholeBatch() throws {
        for n in [2, 7, 64] {
            let one = try gradients(ways: 1, batch: n)
            // poolAll: every dense layer's weight gradient computed once over the
            // whole batch (PooledWeightGradient), as seed004's large one is.
            for ways in [2, 3] where ways <= n {
                for poolAll in [false, true] {
                    let many = try gradients(ways: ways, batch: n, poolAll: poolAll)
                    let what = "batch \(n), \(ways) ways, poolAll \(poolAll)"
                    XCTAssertEqual(one.loss, many.loss, accuracy: 1e-4 * max(1, one.loss), what)
                    XCTAssertEqual(one.correct, many.correct)
                    for (a, b) in zip(one.grads, many.grads) {
                        let scale = a.map(abs).max()! + 1e-6
                        let worst = zip(a, b).map { abs($0 - $1) }.max()!
                        XCTAssertLessThan(worst / scale, 1e-5, what)
                    }
                }
            }
        }
    }

    /// The replicas read the main network's weights, so an optimizer step on
    /// the main network is seen by every shard of the next batch.
    func testReplicasShareTheWeights() throws {
        let net = try Network(spec: spec)
        var rng = RNG(seed: 1)
        net.initialize(rng: &rng)
        let parallel = DataParallel(network: net, ways: 2)
        let (x, y) = batch(16, seed: 3)
        let optimizer = Optimizer(.adam)
        for _ in 0..<3 {
            x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
                _ = parallel.step(xb.baseAddress!, labels: yb.baseAddress!, batch: 16, rng: &rng)
            } }
            parallel.update(optimizer)
        }
        // Same step again with one way on a copy: equal gradients mean equal weights were read.
        let copy = try Network(spec: spec)
        copy.copyWeights(from: net)
        let single = DataParallel(network: copy, ways: 1)
        var r1 = RNG(seed: 0), r2 = RNG(seed: 0)
        x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
            _ = parallel.step(xb.baseAddress!, labels: yb.baseAddress!, batch: 16, rng: &r1)
            _ = single.step(xb.baseAddress!, labels: yb.baseAddress!, batch: 16, rng: &r2)
        } }
        parallel.sumGradients()
        for (a, b) in zip(net.layers.flatMap(\.parameters), copy.layers.flatMap(\.parameters)) {
            for (u, v) in zip(a.grad.array, b.grad.array) { XCTAssertEqual(u, v, accuracy: 1e-5) }
        }
    }

    /// Evaluation splits its batches between threads; the tally must not change.
    func testEvaluationWithTwoThreadsTalliesTheSame() throws {
        defer { Threads.set(2) }
        let net = try Network(spec: spec)
        var rng = RNG(seed: 6)
        net.initialize(rng: &rng)
        let (x, y) = batch(1000, seed: 12)
        let data = LabeledImages(shape: Shape(10, 10, 2), images: x, labels: y)
        Threads.set(1)
        let one = Evaluation(network: net, data: data, batchSize: 64)
        Threads.set(2)
        let two = Evaluation(network: net, data: data, batchSize: 64)
        XCTAssertEqual(one.predictions, two.predictions)
        XCTAssertEqual(one.confusion, two.confusion)
        XCTAssertEqual(one.loss, two.loss, accuracy: 1e-9)
        XCTAssertEqual(one.confusion.joined().reduce(0, +), 1000)
    }
}
