/// An exponential moving average of the weights (Polyak averaging): after
/// every update a ← d·a + (1 − d)·w. The average of the last few thousand
/// steps sits nearer the middle of the valley the steps bounce around in than
/// any one step's weights, and a run ends with it.
///
/// Early on the decay is lowered to (1 + n)/(10 + n) after n updates (as
/// TensorFlow's `ExponentialMovingAverage` with `num_updates`), so the average
/// is not dragged toward the random initial weights.
public final class WeightAverage {
    public let decay: Float
    /// Parallel to the network's parameters.
    public private(set) var values: [Buffer]
    public private(set) var updates = 0

    public init(decay: Float, parameters: [Parameter]) {
        self.decay = decay
        values = parameters.map { p in
            let b = Buffer(p.count)
            b.reserve(p.count)
            b.pointer.update(from: p.value.pointer, count: p.count)
            return b
        }
    }

    /// The decay used at the next update.
    var currentDecay: Float { min(decay, Float(1 + updates) / Float(10 + updates)) }

    /// Moves the average toward the parameters' current values.
    public func update(_ parameters: [Parameter]) {
        let d = currentDecay, keep = 1 - d
        for (p, a) in zip(parameters, values) {
            let w = p.value.pointer, v = a.pointer
            for j in 0..<p.count { v[j] = d * v[j] + keep * w[j] }
        }
        updates += 1
    }

    /// Writes the average into the parameters (the end of a run).
    public func copy(into parameters: [Parameter]) {
        for (p, a) in zip(parameters, values) { p.value.pointer.update(from: a.pointer, count: p.count) }
    }

    /// Restores a checkpoint's average (sizes checked by the caller).
    func restore(_ saved: [[Float]], updates: Int) {
        for (a, s) in zip(values, saved) { s.withUnsafeBufferPointer { a.pointer.update(from: $0.baseAddress!, count: s.count) } }
        self.updates = updates
    }
}
