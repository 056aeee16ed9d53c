import ConvNet

/// Stratified splits: every class keeps its share in each part, and a seed makes
/// the split repeatable.
public enum Splits {
    /// The examples of each class, each list shuffled by `seed`.
    static func byClass(_ data: LabeledImages, seed: UInt64) -> [[Int]] {
        var rng = RNG(seed: seed)
        let classes = Int(data.labels.max() ?? 0) + 1
        var groups = [[Int]](repeating: [], count: classes)
        for (i, l) in data.labels.enumerated() { groups[Int(l)].append(i) }
        for c in groups.indices { rng.shuffle(&groups[c]) }
        return groups
    }

    /// Holds out `fraction` of every class as a test set.
    public static func holdout(_ data: LabeledImages, fraction: Double, seed: UInt64) -> (train: LabeledImages, test: LabeledImages) {
        var train: [Int] = [], test: [Int] = []
        for g in byClass(data, seed: seed) {
            let t = Int((Double(g.count) * fraction).rounded())
            test += g.prefix(t)
            train += g.dropFirst(t)
        }
        var rng = RNG(seed: seed &+ 1)
        rng.shuffle(&train)
        return (data.subset(train), data.subset(test.sorted()))
    }

    /// `k` folds of indices; each class is dealt round-robin so fold sizes per class differ by at most one.
    public static func folds(_ data: LabeledImages, k: Int, seed: UInt64) -> [[Int]] {
        var folds = [[Int]](repeating: [], count: k)
        var next = 0
        for g in byClass(data, seed: seed) {
            for i in g { folds[next % k].append(i); next += 1 }
        }
        return folds.map { $0.sorted() }
    }

    /// Two data sets as one (same shape).
    public static func pooled(_ a: LabeledImages, _ b: LabeledImages) -> LabeledImages {
        a.appending(b)
    }
}
