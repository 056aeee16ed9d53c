import Dispatch

/// What `digits eval` reports: loss, accuracy, the confusion matrix and, per
/// class, precision, recall, F1 and support (scikit-learn's classification report).
public struct Evaluation: Sendable {
    public let loss: Double
    public let accuracy: Double
    /// confusion[true][predicted]
    public let confusion: [[Int]]
    public let predictions: [Int]
    public let count: Int

    public struct ClassScore: Sendable { public let precision, recall, f1: Double; public let support: Int }

    public var classes: Int { confusion.count }
    /// The classes scored per class and in the averages: the digits, that is every
    /// output but a verdict model's "not a digit" one (never predicted: `Answer.digit`).
    public private(set) var scoredClasses = 0

    public var perClass: [ClassScore] {
        (0..<scoredClasses).map { c in
            let tp = Double(confusion[c][c])
            let predicted = Double((0..<classes).reduce(0) { $0 + confusion[$1][c] })
            let actual = confusion[c].reduce(0, +)
            let p = predicted > 0 ? tp / predicted : 0
            let r = actual > 0 ? tp / Double(actual) : 0
            let f = p + r > 0 ? 2 * p * r / (p + r) : 0
            return ClassScore(precision: p, recall: r, f1: f, support: actual)
        }
    }

    public var macroAverage: ClassScore { average(weighted: false) }
    public var weightedAverage: ClassScore { average(weighted: true) }

    private func average(weighted: Bool) -> ClassScore {
        let s = perClass
        let total = Double(s.reduce(0) { $0 + $1.support })
        func avg(_ f: (ClassScore) -> Double) -> Double {
            weighted ? s.reduce(0) { $0 + f($1) * Double($1.support) } / max(total, 1)
                     : s.reduce(0) { $0 + f($1) } / Double(max(s.count, 1))
        }
        return ClassScore(precision: avg(\.precision), recall: avg(\.recall), f1: avg(\.f1), support: Int(total))
    }

    /// Runs `network` over `data` in batches (no dropout) and tallies the results.
    /// With several threads, each takes every n-th batch on its own replica of
    /// the network (single-threaded BLAS), as training does. A model with a "not
    /// a digit" output (`notADigitClass`) is judged on digits by its best digit
    /// output (`Answer.digit`), as MNIST accuracy must be.
    public init(network: Network, data: LabeledImages, batchSize: Int = 32, notADigitClass: Int? = nil) {
        // Callers check the data with `network.check` (DataCheck.swift).
        precondition(network.mismatch(data, role: "evaluation") == nil, network.mismatch(data, role: "evaluation")!)
        let k = network.classes, size = data.shape.count
        let batches = (data.count + batchSize - 1) / batchSize
        let ways = max(1, min(Threads.count, batches))
        let nets = network.replicas(ways)
        var predictions = [Int](repeating: 0, count: data.count)
        let none = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var parts = [(loss: Double, confusion: [[Int]])](repeating: (0, none), count: ways)
        do {
            data.labels.withUnsafeBufferPointer { yb in
                predictions.withUnsafeMutableBufferPointer { pb in
                    parts.withUnsafeMutableBufferPointer { partsBuffer in
                        let preds = pb.baseAddress!, out = partsBuffer.baseAddress!
                        let work = { (t: Int) in
                            var rng = RNG(seed: 0)
                            var loss = 0.0, confusion = none
                            // This thread's batch as floats (the data set may hold bytes).
                            let x = Buffer(batchSize * size)
                            for b in stride(from: t, to: batches, by: ways) {
                                let start = b * batchSize, m = min(batchSize, data.count - start)
                                data.gather(start..<(start + m), into: x.reserve(m * size))
                                let z = nets[t].forward(x.pointer, batch: m, training: false, rng: &rng)
                                loss += SoftmaxCrossEntropy.evaluate(logits: z, labels: yb.baseAddress! + start, batch: m,
                                                                     classes: k, grad: nil).loss
                                for r in 0..<m {
                                    let best = Answer.digit(z + r * k, classes: k, notADigitClass: notADigitClass)
                                    preds[start + r] = best
                                    let y = Int(yb[start + r])
                                    if y >= 0 && y < k { confusion[y][best] += 1 }
                                }
                            }
                            out[t] = (loss, confusion)
                        }
                        if ways == 1 { work(0); return }
                        Threads.withSerialBLAS {
                            DispatchQueue.concurrentPerform(iterations: ways) { t in ShardContext.run { work(t) } }
                        }
                    }
                }
            }
        }
        let loss = parts.reduce(0) { $0 + $1.loss }
        var confusion = none
        for part in parts { for y in 0..<k { for p in 0..<k { confusion[y][p] += part.confusion[y][p] } } }
        self.count = data.count
        self.loss = data.count > 0 ? loss / Double(data.count) : 0
        let correct = (0..<k).reduce(0) { $0 + confusion[$1][$1] }
        self.accuracy = data.count > 0 ? Double(correct) / Double(data.count) : 0
        self.confusion = confusion
        self.predictions = predictions
        self.scoredClasses = notADigitClass ?? k
    }
}

/// Which class a row of class scores (logits or probabilities) answers. The one
/// rule for accuracy: a model with a "not a digit" output is scored on digit data
/// by its most likely *digit* (argmax over every output but that one), so its
/// MNIST accuracy means what a 10-output model's does; whether the drawing is a
/// digit at all is the verdict's question (DigitData's `Verdict`).
public enum Answer {
    /// The argmax of `scores[0..<classes]`, leaving out `notADigitClass` when given
    /// (the first of equal scores wins).
    public static func digit(_ scores: UnsafePointer<Float>, classes k: Int, notADigitClass: Int?) -> Int {
        var best = notADigitClass == 0 ? 1 : 0
        for j in (best + 1)..<max(best + 1, k) where j != notADigitClass && scores[j] > scores[best] { best = j }
        return best
    }

    public static func digit(_ scores: [Float], notADigitClass: Int?) -> Int {
        scores.withUnsafeBufferPointer { digit($0.baseAddress!, classes: $0.count, notADigitClass: notADigitClass) }
    }
}
