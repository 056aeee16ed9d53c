import Dispatch
import Glibc

/// One epoch's results, one row of the history CSV.
public struct EpochRecord: Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double, trainAccuracy: Double
    public var validationLoss: Double?, validationAccuracy: Double?
    public var seconds: Double
    public var learningRate: Float
    public var imagesPerSecond: Double { seconds > 0 ? Double(images) / seconds : 0 }
    public var images: Int
}

/// A snapshot for a progress bar, sent after every batch.
public struct TrainingProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    public var seen: Int, total: Int
    public var loss: Double, accuracy: Double
    public var imagesPerSecond: Double
    public var secondsElapsed: Double
    /// Seconds left in this epoch at the current speed.
    public var eta: Double { imagesPerSecond > 0 ? Double(total - seen) / imagesPerSecond : 0 }
}

/// Called on each image of a batch before it is used, with a generator of its own.
public typealias Augmenter = @Sendable (UnsafeMutablePointer<Float>, Shape, inout RNG) -> Void

/// The training loop: shuffles, batches, augments, steps the optimizer,
/// validates after each epoch. Holds everything a checkpoint must keep.
public final class Trainer {
    public let network: Network
    public let optimizer: Optimizer
    public let settings: TrainingSettings
    public var augmenter: Augmenter?
    /// Examples drawn afresh each epoch, after the stored ones (nil: none).
    public var generated: ExampleSource?
    /// The model's "not a digit" output, if it has one: accuracy on digits is
    /// then its best digit output's (`Answer.digit`).
    public var notADigitClass: Int?
    /// The moving average of the weights the run ends with (`settings.averaging` > 0).
    public private(set) var average: WeightAverage?
    /// The generator after the last finished epoch (saved in checkpoints).
    public internal(set) var rng: RNG
    public internal(set) var history: [EpochRecord] = []
    public var epochsDone: Int { history.count }

    private let batchX = Buffer()
    private var parallel: DataParallel?
    /// With `network.startTiming()`: seconds in the training steps (forward and
    /// backward over every shard, waiting for the slowest) and in the optimizer.
    public private(set) var stepSeconds = 0.0, updateSeconds = 0.0
    private var batchY: [Int32] = []

    /// A new run: initialises the network's weights from the seed.
    public init(network: Network, settings: TrainingSettings, initialize: Bool = true) {
        self.network = network
        self.settings = settings
        optimizer = Optimizer(settings.optimizer, learningRate: settings.learningRate, momentum: settings.momentum ?? 0)
        rng = RNG(seed: settings.seed)
        if initialize { network.initialize(rng: &rng, scheme: settings.initializer) }
        if settings.averaging > 0 {
            average = WeightAverage(decay: settings.averaging, parameters: network.layers.flatMap(\.parameters))
        }
    }

    /// Continues a run from a checkpoint's state (weights already loaded in `network`).
    public func restore(rngState: [UInt64], history: [EpochRecord], optimizerStep: Int, slots: [[[Float]]]) throws {
        rng = RNG(stateWords: rngState)
        self.history = history
        try optimizer.restore(step: optimizerStep, slots: slots, params: network.layers.flatMap(\.parameters))
    }

    /// Continues the weight average from a checkpoint's (one array per parameter;
    /// it has seen as many updates as the optimizer).
    public func restoreAverage(_ saved: [[Float]]) throws {
        let params = network.layers.flatMap(\.parameters)
        guard let a = average, saved.count == params.count, zip(saved, params).allSatisfy({ $0.count == $1.count }) else {
            throw SpecError("the checkpoint's weight average does not match the model")
        }
        a.restore(saved, updates: optimizer.step)
    }

    public enum Outcome: Equatable {
        case finished, stopped
        /// The loss stopped being a finite number (too high a learning rate, say):
        /// the weights are ruined from this epoch on; the last finished epoch is good.
        case diverged(epoch: Int, batch: Int)
    }

    /// Trains until `settings.epochs` epochs are done in total, or `shouldStop`
    /// answers true (checked after every batch: the epoch in progress is dropped,
    /// and its partial updates must be discarded by reloading the last checkpoint
    /// if the caller wants exact resumption).
    public func run(train: LabeledImages, validation: LabeledImages?,
                    progress: (TrainingProgress) -> Void = { _ in },
                    epochEnded: (EpochRecord) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) -> Outcome {
        // Callers check the data with `network.check` (DataCheck.swift); once per run.
        precondition(network.mismatch(train, role: "training") == nil, network.mismatch(train, role: "training")!)
        if let v = validation {
            precondition(network.mismatch(v, role: "validation") == nil, network.mismatch(v, role: "validation")!)
        }
        if let g = generated { precondition(g.shape == train.shape, "generated examples of another shape") }
        let stored = train.count, n = stored + (generated?.count ?? 0)
        let bs = max(1, min(settings.batchSize, n)), size = train.shape.count
        let batches = (n + bs - 1) / bs
        batchY = [Int32](repeating: 0, count: bs)
        // One shard per thread, but no shard under 8 examples: below that the
        // products are too small to be worth a thread.
        let ways = max(1, min(Threads.count, bs / 8))
        if parallel?.ways != ways { parallel = DataParallel(network: network, ways: ways) }
        let parallel = self.parallel!
        let baseRate = settings.learningRate ?? settings.optimizer.defaultLearningRate
        let params = network.layers.flatMap(\.parameters)
        parallel.labelSmoothing = settings.labelSmoothing
        while epochsDone < settings.epochs {
            let epoch = epochsDone + 1
            var epochRng = rng
            var order = Array(0..<n)
            epochRng.shuffle(&order)
            let start = now()
            var lossSum = 0.0, correct = 0, seen = 0
            for b in 0..<batches {
                optimizer.learningRate = settings.schedule.rate(base: baseRate, decay: settings.learningRateDecay, epoch: epoch,
                                                                batch: b, batches: batches, epochs: settings.epochs)
                let lo = b * bs, m = min(bs, n - lo)
                let x = batchX.reserve(m * size)
                if let generated {
                    for r in 0..<m {
                        let i = order[lo + r]
                        batchY[r] = i < stored ? train.labels[i] : generated.label(i - stored)
                    }
                    // Stored images are copied, generated ones drawn, each with its own
                    // generator (then augmented with it), on every core.
                    let base = epochRng.next(), shape = train.shape, augment = augmenter
                    order.withUnsafeBufferPointer { ob in
                        parallelChunks(m) { rows in
                            for r in rows {
                                var own = RNG(seed: base &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)
                                let i = ob[lo + r], image = x + r * size
                                if i < stored { train.gather(CollectionOfOne(i), into: image) }
                                else { generated.render(i - stored, into: image, rng: &own) }
                                augment?(image, shape, &own)
                            }
                        }
                    }
                } else {
                    train.gather(order[lo..<(lo + m)], into: x)
                    for r in 0..<m { batchY[r] = train.labels[order[lo + r]] }
                    if let augment = augmenter {
                        let base = epochRng.next(), shape = train.shape
                        parallelChunks(m) { rows in
                            for r in rows {
                                var own = RNG(seed: base &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)
                                augment(x + r * size, shape, &own)
                            }
                        }
                    }
                }
                let profiling = network.timing != nil
                let t0 = profiling ? now() : 0
                let result = batchY.withUnsafeBufferPointer {
                    parallel.step(x, labels: $0.baseAddress!, batch: m, rng: &epochRng)
                }
                let t1 = profiling ? now() : 0
                parallel.update(optimizer)
                average?.update(params)
                if profiling { stepSeconds += t1 - t0; updateSeconds += now() - t1 }
                // One comparison per batch: a loss that is NaN or infinite stops the
                // run before it saves ruined weights.
                if !result.loss.isFinite { return .diverged(epoch: epoch, batch: b + 1) }
                lossSum += result.loss; correct += result.correct; seen += m
                let elapsed = now() - start
                progress(TrainingProgress(epoch: epoch, epochs: settings.epochs, batch: b + 1, batches: batches,
                                          seen: seen, total: n, loss: lossSum / Double(seen),
                                          accuracy: Double(correct) / Double(seen),
                                          imagesPerSecond: elapsed > 0 ? Double(seen) / elapsed : 0,
                                          secondsElapsed: elapsed))
                if shouldStop() { return .stopped }
            }
            var record = EpochRecord(epoch: epoch, trainLoss: lossSum / Double(n), trainAccuracy: Double(correct) / Double(n),
                                     validationLoss: nil, validationAccuracy: nil, seconds: now() - start,
                                     learningRate: optimizer.learningRate, images: n)
            if let v = validation, v.count > 0 {
                let e = Evaluation(network: network, data: v, notADigitClass: notADigitClass)
                record.validationLoss = e.loss
                record.validationAccuracy = e.accuracy
            }
            // The last batch's update can overflow after a finite loss: the
            // weights must be what the loader accepts before this epoch counts
            // (and is saved as a checkpoint).
            if !weightsAreUsable() { return .diverged(epoch: epoch, batch: batches) }
            rng = epochRng
            history.append(record)
            epochEnded(record)
        }
        // The run ends with the averaged weights (its checkpoints keep both).
        average?.copy(into: params)
        return .finished
    }
}

extension Trainer {
    /// The weights as `WeightsFile.load` demands them: every one finite, and
    /// finite class scores for a blank and a full image (once an epoch).
    func weightsAreUsable() -> Bool {
        weightsAreFinite() && (try? network.checkOutputsAreFinite()) != nil
    }

    /// Every weight is a finite number (one pass over the parameters).
    func weightsAreFinite() -> Bool {
        for p in network.layers.flatMap(\.parameters) {
            let v = UnsafeBufferPointer(start: p.value.pointer, count: p.count)
            var bad = false
            for x in v where !x.isFinite { bad = true; break }
            if bad { return false }
        }
        return true
    }
}
