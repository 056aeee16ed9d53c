import Glibc

/// The update rules, with Keras 3's formulas and defaults so that a seed's
/// settings mean the same thing here as in its notebook.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case sgd, adam, adadelta

    /// Keras' default learning rates.
    public var defaultLearningRate: Float {
        switch self { case .sgd: 0.01; case .adam: 0.001; case .adadelta: 0.001 }
    }
}

public final class Optimizer {
    public let kind: OptimizerKind
    public var learningRate: Float
    public var momentum: Float = 0          // sgd
    public let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7   // adam
    public let rho: Float = 0.95            // adadelta
    /// Number of updates taken so far (Adam's bias correction uses it).
    public internal(set) var step = 0
    /// Per-parameter state: sgd [velocity], adam [m, v], adadelta [E g², E Δ²].
    public internal(set) var slots: [[Buffer]] = []

    public init(_ kind: OptimizerKind, learningRate: Float? = nil, momentum: Float = 0) {
        self.kind = kind
        self.learningRate = learningRate ?? kind.defaultLearningRate
        self.momentum = momentum
    }

    var slotsPerParameter: Int { kind == .sgd ? 1 : 2 }

    func prepare(_ params: [Parameter]) {
        guard slots.count != params.count else { return }
        slots = params.map { p in
            (0..<slotsPerParameter).map { _ in let b = Buffer(p.count); b.reserve(p.count); b.zero(); return b }
        }
    }

    /// Applies one update to every parameter from its current gradient.
    /// Every element is updated on its own, so the work is split evenly across
    /// threads (seed004's 2.4 M weights take milliseconds on one core) and the
    /// result does not depend on the split.
    public func update(_ params: [Parameter]) { update(params) { _, _ in } }

    /// The same, calling `preparing(i, block)` on each block of parameter i's
    /// elements just before the block is updated (blocks small enough to stay
    /// in cache in between).
    func update(_ params: [Parameter], preparing: (Int, Range<Int>) -> Void) {
        prepare(params)
        step += 1
        let lr = learningRate
        let t = Float(step)
        let lrT = lr * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        forEachSegment(of: params) { i, segment in
            var lo = segment.lowerBound
            while lo < segment.upperBound {
                let range = lo..<min(lo + 4096, segment.upperBound)
                preparing(i, range)
                apply(params[i], slot: i, range: range, lr: lr, lrT: lrT)
                lo = range.upperBound
            }
        }
    }

    /// One update rule over `range` of one parameter's elements.
    private func apply(_ p: Parameter, slot i: Int, range: Range<Int>, lr: Float, lrT: Float) {
        do {
            let w = p.value.pointer, g = p.grad.pointer
            switch kind {
            case .sgd:
                // v = μ·v − lr·g ;  w += v
                let v = slots[i][0].pointer, mu = momentum
                for j in range { v[j] = mu * v[j] - lr * g[j]; w[j] += v[j] }
            case .adam:
                // m += (g − m)(1−β1) ; v += (g² − v)(1−β2) ; w −= lr_t · m / (√v + ε)
                let m = slots[i][0].pointer, v = slots[i][1].pointer
                let (b1, b2, eps) = (1 - beta1, 1 - beta2, epsilon)
                // Sixteen lanes at a time: the compiler does not vectorise this
                // loop by itself (four pointers that might alias).
                var j = range.lowerBound
                while j + 16 <= range.upperBound {
                    let gj = Vector.load(g + j)
                    var mj = Vector.load(m + j), vj = Vector.load(v + j)
                    mj += (gj - mj) * b1
                    vj += (gj * gj - vj) * b2
                    Vector.store(mj, m + j)
                    Vector.store(vj, v + j)
                    Vector.store(Vector.load(w + j) - lrT * mj / (vj.squareRoot() + eps), w + j)
                    j += 16
                }
                for j in j..<range.upperBound {
                    let gj = g[j]
                    m[j] += (gj - m[j]) * b1
                    v[j] += (gj * gj - v[j]) * b2
                    w[j] -= lrT * m[j] / (v[j].squareRoot() + eps)
                }
            case .adadelta:
                // E[g²] = ρE[g²] + (1−ρ)g² ; Δ = −√(E[Δ²]+ε)/√(E[g²]+ε)·g ; E[Δ²] = ρE[Δ²] + (1−ρ)Δ² ; w += lr·Δ
                let ag = slots[i][0].pointer, ad = slots[i][1].pointer
                let (r, eps) = (rho, epsilon)
                for j in range {
                    let gj = g[j]
                    ag[j] = r * ag[j] + (1 - r) * gj * gj
                    let delta = -(ad[j] + eps).squareRoot() / (ag[j] + eps).squareRoot() * gj
                    ad[j] = r * ad[j] + (1 - r) * delta * delta
                    w[j] += lr * delta
                }
            }
        }
    }

    /// Restores the state saved by a checkpoint.
    public func restore(step: Int, slots saved: [[[Float]]], params: [Parameter]) throws {
        guard saved.count == params.count, saved.allSatisfy({ $0.count == slotsPerParameter }) else {
            throw SpecError("the checkpoint's optimizer state does not match the model")
        }
        prepare(params)
        for (i, p) in params.enumerated() {
            for s in 0..<slotsPerParameter {
                guard saved[i][s].count == p.count else { throw SpecError("the checkpoint's optimizer state does not match the model") }
                saved[i][s].withUnsafeBufferPointer { slots[i][s].pointer.update(from: $0.baseAddress!, count: p.count) }
            }
        }
        self.step = step
    }
}
