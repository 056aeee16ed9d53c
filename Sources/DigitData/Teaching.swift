import ConvNet

/// How a network is taught a person's handwriting. The defaults were chosen by
/// measurement on the UNIPEN writers the shipped model reads worst
/// (`make teach-bench` and its options; the table in docs/PERFORMANCE.md).
public struct TeachingSettings: Sendable, Equatable {
    /// Optimizer steps of one fit.
    public var steps = 300
    public var batchSize = 64
    public var learningRate: Float = 0.001
    /// Distorted copies (`Augmentation`) made of each sample, besides the sample itself.
    public var augmentedCopies = 24
    /// MNIST training images mixed into every batch so that the network keeps
    /// what it knew (rehearsal).
    public var rehearsal = 4000
    /// The share of every batch drawn from the person's samples (the rest is rehearsal).
    public var ownShare = 0.15
    /// How strongly the trained weights are pulled back to where they started (`TailTrainer.anchor`).
    public var anchor: Float = 0
    public var optimizer = OptimizerKind.adam
    /// Folds of the cross-validation that judges the samples (fewer when there are fewer samples).
    public var folds = 5
    public var seed: UInt64 = 1
    /// The first layer trained (nil: the first dense layer, the classifier head).
    public var firstLayer: Int?

    public init() {}

    /// At most this many augmented images in all: many samples get fewer copies each.
    public static let maxAugmentedImages = 20_000
}

/// What a person's samples must be for teaching to mean anything.
public enum TeachingInput {
    /// As many samples as there are digits: fewer cannot show every digit once.
    public static let minimumSamples = 10

    /// The samples in the store (`SampleStore`) as teaching takes them, and the
    /// store's one line on damage (its good samples are still taught). Fewer
    /// than `minimumSamples` is refused with where to get more.
    public static func samples(_ store: SampleStore) throws -> (samples: LabeledImages, problem: String?) {
        let set = try store.read()
        guard set.count >= minimumSamples else {
            throw TrainingDataError("\(store.directory): \(set.count) sample\(set.count == 1 ? "" : "s"); teaching needs at least \(minimumSamples) (one per digit): label drawings in the app (keys 0–9) or add pictures with `digits samples add`")
        }
        return (set.labeledImages, set.problem)
    }
}

/// How much teaching changed, measured honestly: the samples are judged by
/// cross-validation (each by a network taught without it), MNIST test by the
/// taught network.
public struct TeachingReport: Sendable {
    public var samples: Int
    public var folds: Int
    /// Right answers on the samples, before (the network as it was) and after
    /// (each sample read by the fold's network that never saw it).
    public var samplesRightBefore: Int, samplesRightAfter: Int
    public var samplesBefore: Double { Double(samplesRightBefore) / Double(max(samples, 1)) }
    public var samplesAfter: Double { Double(samplesRightAfter) / Double(max(samples, 1)) }
    /// MNIST test accuracy before and after (nil: no test set was given).
    public var testBefore: Double?, testAfter: Double?
    public var testCount: Int
    /// Seconds of the final fit alone (what keeping a new sample costs), and of everything.
    public var teachSeconds: Double, totalSeconds: Double
    /// For each fold: the samples it judged and the samples its network was taught.
    /// The two never share a sample (checked by the tests).
    public var judged: [(judged: [Int], taughtOn: [Int])]
    /// The layers that were trained (from this index on) and the class left alone.
    public var firstLayer: Int
    public var frozenClass: Int?
}

/// What a teaching run is doing, for a progress line.
public struct TeachingProgress: Sendable {
    public enum Stage: Sendable, Equatable {
        case preparing
        /// Cross-validation: fitting fold `fold` of `of`.
        case fold(Int, of: Int)
        case teaching
        case measuring
    }
    public var stage: Stage
    public var step: Int, steps: Int
    public var loss: Double
    /// Of the whole run, 0…1.
    public var fraction: Double
}

/// The run was asked to stop.
public struct TeachingStopped: Error {}

/// Fine-tunes a network on a person's labelled 28×28 drawings (and distorted
/// copies of them), mixed with MNIST rehearsal. The convolutional layers are
/// frozen and their outputs for every image computed once; only the dense head
/// learns (`TailTrainer`), a fit of a fraction of a second, which makes the
/// cross-validation affordable. Rehearsal images are taught the probabilities the
/// network gave them before (distillation), which kept MNIST test within 0.07
/// points on the measured writers where their labels let it drift by 0.16
/// (`make teach-bench`; the method table in docs/PERFORMANCE.md).
/// If the network has a "not a digit" output, its weights in the last layer are
/// left alone (teaching has no negative examples to rehearse).
///
/// Deterministic given the settings' seed. Works on its own copy of the network:
/// the one given is never touched, and `network` is the taught one.
public final class Teaching {
    public let settings: TeachingSettings
    /// The taught network (a copy of the one given), valid after `run`.
    public let network: Network
    public let samples: LabeledImages
    public let notADigitClass: Int?
    private let rehearsal: LabeledImages
    private let test: LabeledImages?

    /// `samples`: the person's drawings, labels 0–9; `rehearsal`: MNIST training
    /// images (a seeded subset of `settings.rehearsal` is used); `test`: MNIST test
    /// for the before/after (nil: skipped). Every set is checked against the model.
    public init(network base: Network, notADigitClass: Int?, samples: LabeledImages, rehearsal: LabeledImages,
                test: LabeledImages?, settings: TeachingSettings = TeachingSettings()) throws {
        try base.check(samples, role: "samples")
        try base.check(rehearsal, role: "rehearsal")
        if let t = test { try base.check(t, role: "MNIST test") }
        guard samples.count >= TeachingInput.minimumSamples else {
            throw TrainingDataError("teaching needs at least \(TeachingInput.minimumSamples) samples (one per digit); there are \(samples.count)")
        }
        if let c = notADigitClass, samples.labels.contains(Int32(c)) {
            throw TrainingDataError("a sample is labelled 'not a digit' (\(c)); teaching takes digits only")
        }
        let first = settings.firstLayer ?? base.firstDenseLayer ?? 0
        guard first >= 0 && first < base.layers.count else { throw SpecError("the model has no layer \(first)") }
        network = try Network(spec: base.spec)
        network.copyWeights(from: base)
        self.notADigitClass = notADigitClass
        self.samples = samples
        self.rehearsal = rehearsal
        self.test = test
        var s = settings
        s.firstLayer = first
        self.settings = s
    }

    /// The cross-validation's folds: each sample's index in exactly one, each
    /// label dealt evenly over the folds (in a seeded order), so every fold's
    /// network was taught the other samples of every digit it is judged on.
    public static func folds(labels: [Int32], count k: Int, seed: UInt64) -> [[Int]] {
        var rng = RNG(seed: seed ^ 0xF01D)
        var folds = [[Int]](repeating: [], count: max(1, k))
        var next = 0
        for label in Set(labels).sorted() {
            var members = labels.indices.filter { labels[$0] == label }
            rng.shuffle(&members)
            for i in members { folds[next % folds.count].append(i); next += 1 }
        }
        return folds.map { $0.sorted() }.filter { !$0.isEmpty }
    }

    /// Cross-validates, then teaches on every sample and measures. Throws
    /// `TeachingStopped` when `shouldStop` answers true (the copy is then half-taught).
    public func run(progress: (TeachingProgress) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> TeachingReport {
        let start = now()
        let first = settings.firstLayer!
        let k = min(settings.folds, samples.count)
        let folds = Teaching.folds(labels: samples.labels, count: k, seed: settings.seed)
        let runs = folds.count + 1, steps = settings.steps
        func report(_ stage: TeachingProgress.Stage, _ done: Int, _ step: Int, _ loss: Double) {
            progress(TeachingProgress(stage: stage, step: step, steps: steps, loss: loss,
                                      fraction: Double(done * steps + step) / Double(runs * steps)))
        }
        report(.preparing, 0, 0, 0)

        // Every image through the frozen layers, once.
        let copies = max(1, min(settings.augmentedCopies, TeachingSettings.maxAugmentedImages / samples.count))
        let trainer = TailTrainer(network: network, first: first, frozenClass: notADigitClass, learningRate: settings.learningRate,
                                  optimizer: settings.optimizer)
        trainer.anchor = settings.anchor
        let size = trainer.inputSize
        let own = network.activations(before: first, of: samples)
        let distorted = network.activations(before: first, of: augmented(copies: copies))
        if shouldStop() { throw TeachingStopped() }
        let reh = rehearsalSubset()
        let rehearsalInputs = network.activations(before: first, of: reh)
        let testInputs = test.map { network.activations(before: first, of: $0) }
        if shouldStop() { throw TeachingStopped() }

        func right(_ inputs: [Float], _ labels: [Int32]) -> Int {
            let p = trainer.probabilities(inputs, count: labels.count)
            let c = network.classes
            // The digit as every part of the product reads it (never the "not a digit" output).
            return p.withUnsafeBufferPointer { all in
                labels.indices.filter { r in
                    Answer.digit(all.baseAddress! + r * c, classes: c, notADigitClass: notADigitClass) == Int(labels[r])
                }.count
            }
        }
        func testAccuracy() -> Double? {
            guard let x = testInputs, let t = test, t.count > 0 else { return nil }
            return Double(right(x, t.labels)) / Double(t.count)
        }
        let testBefore = testAccuracy()
        let rightBefore = right(own, samples.labels)
        let original = trainer.saveWeights()
        // What the network answered before: rehearsal keeps it answering so.
        let rehearsed = (inputs: rehearsalInputs, targets: trainer.probabilities(rehearsalInputs, count: reh.count))

        // The pool a fit learns from: the samples at `indices` and their copies.
        func pool(_ indices: [Int]) -> (inputs: [Float], labels: [Int32]) {
            var x: [Float] = [], y: [Int32] = []
            x.reserveCapacity(indices.count * (copies + 1) * size)
            for i in indices {
                x += own[(i * size)..<((i + 1) * size)]
                x += distorted[(i * copies * size)..<((i + 1) * copies * size)]
                y += [Int32](repeating: samples.labels[i], count: copies + 1)
            }
            return (x, y)
        }
        func fit(_ indices: [Int], run: Int, stage: TeachingProgress.Stage) throws {
            trainer.restoreWeights(original)
            var rng = RNG(seed: settings.seed &+ UInt64(run) &* 0x9E37_79B9_7F4A_7C15)
            var stopped = false
            trainer.train(own: pool(indices), rehearsal: rehearsed, steps: steps, batchSize: settings.batchSize,
                          ownShare: settings.ownShare, rng: &rng,
                          progress: { s, loss in report(stage, run, s, loss) },
                          shouldStop: { stopped = shouldStop(); return stopped })
            if stopped { throw TeachingStopped() }
        }

        var rightAfter = 0
        var judged: [(judged: [Int], taughtOn: [Int])] = []
        for (f, fold) in folds.enumerated() {
            let held = Set(fold)
            let taught = samples.labels.indices.filter { !held.contains($0) }
            try fit(taught, run: f, stage: .fold(f + 1, of: folds.count))
            var x: [Float] = []
            for i in fold { x += own[(i * size)..<((i + 1) * size)] }
            rightAfter += right(x, fold.map { samples.labels[$0] })
            judged.append((fold, taught))
        }

        let teachStart = now()
        try fit(Array(samples.labels.indices), run: folds.count, stage: .teaching)
        let teachSeconds = now() - teachStart
        report(.measuring, runs, 0, 0)
        let testAfter = testAccuracy()
        return TeachingReport(samples: samples.count, folds: folds.count,
                              samplesRightBefore: rightBefore, samplesRightAfter: rightAfter,
                              testBefore: testBefore, testAfter: testAfter, testCount: test?.count ?? 0,
                              teachSeconds: teachSeconds, totalSeconds: now() - start,
                              judged: judged, firstLayer: first, frozenClass: notADigitClass)
    }

    /// `copies` distorted versions of every sample, sample by sample, each from
    /// its own seeded generator.
    func augmented(copies: Int) -> LabeledImages {
        let size = samples.shape.count, n = samples.count
        var images = [Float](repeating: 0, count: n * copies * size)
        var labels = [Int32](repeating: 0, count: n * copies)
        let distort = Augmentation()
        images.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let image = samples.image(i)
                for c in 0..<copies {
                    let dst = out.baseAddress! + (i * copies + c) * size
                    image.withUnsafeBufferPointer { dst.update(from: $0.baseAddress!, count: size) }
                    var rng = RNG(seed: settings.seed &+ UInt64(i * copies + c) &* 0xD1B5_4A32_D192_ED03)
                    distort.apply(dst, shape: samples.shape, rng: &rng)
                    labels[i * copies + c] = samples.labels[i]
                }
            }
        }
        return LabeledImages(shape: samples.shape, images: images, labels: labels)
    }

    /// A seeded choice of `settings.rehearsal` rehearsal images (all when there are fewer).
    func rehearsalSubset() -> LabeledImages {
        let n = rehearsal.count, m = min(settings.rehearsal, n)
        var rng = RNG(seed: settings.seed ^ 0x5EED)
        var order = Array(0..<n)
        rng.shuffle(&order)
        let chosen = Array(order.prefix(m)).sorted()
        var images = [Float](repeating: 0, count: m * rehearsal.shape.count)
        images.withUnsafeMutableBufferPointer { if m > 0 { rehearsal.gather(chosen, into: $0.baseAddress!) } }
        return LabeledImages(shape: rehearsal.shape, images: images, labels: chosen.map { rehearsal.labels[$0] })
    }
}
