import ConvNet

/// One training run, the same for `digits train` and the app's Retrain: checks
/// the settings, loads and splits the data, builds (or restores) the network and
/// its trainer, trains with a checkpoint after every epoch if asked, and says
/// what to record in the weights file. Every value from outside has been
/// checked by the time `init` returns.
public final class TrainingRun {
    /// What to train, as the user (or a checkpoint) asked.
    public struct Plan: Sendable {
        /// A model name or spec (a resumed run uses the checkpoint's own).
        public var model: String
        public var dataset: Dataset
        /// Where the data is (nil: $DIGITS_DATA, then the XDG directory).
        public var dataOption: String?
        public var settings: TrainingSettings
        /// Use only the first N training images.
        public var trainLimit: Int?
        /// Pool train and test files and hold out this stratified fraction as the test set.
        public var holdout: Double?
        /// Recorded in the weights when not trained by `digits train`.
        public var trainedIn: String?

        public init(model: String, dataset: Dataset, dataOption: String? = nil, settings: TrainingSettings = TrainingSettings(),
                    trainLimit: Int? = nil, holdout: Double? = nil, trainedIn: String? = nil) {
            self.model = model; self.dataset = dataset; self.dataOption = dataOption; self.settings = settings
            self.trainLimit = trainLimit; self.holdout = holdout; self.trainedIn = trainedIn
        }
    }

    /// A checkpoint to continue: its network and its checked metadata.
    public struct Checkpointed {
        public let path: String
        public let network: Network
        public let file: Safetensors
        public let metadata: WeightsMetadata

        public init(path: String) throws {
            self.path = path
            (network, file) = try WeightsFile.load(path)
            metadata = try WeightsMetadata(file, path: path)
        }

        /// The plan the checkpoint was started with (its data set must be one we know).
        public func plan(dataOption: String?) throws -> Plan {
            var dataset = Dataset.mnist
            if let d = metadata.dataset {
                guard let known = Dataset(rawValue: d) else { throw FileError(path, "its metadata names an unknown data set '\(d)'") }
                dataset = known
            }
            return Plan(model: network.spec, dataset: dataset, dataOption: dataOption, settings: metadata.settings ?? TrainingSettings(),
                        trainLimit: metadata.trainLimit, holdout: metadata.holdout, trainedIn: metadata.trainedIn)
        }
    }

    public let plan: Plan
    public let network: Network
    public let trainer: Trainer
    public let train: LabeledImages, validation: LabeledImages?, test: LabeledImages
    public let dataDirectory: String
    /// The model's "not a digit" output when the run teaches one (`negatives` > 0):
    /// the last, as `WeightsMetadata.notADigitClass` records.
    public let notADigitClass: Int?

    /// Checks `plan`, loads the data and builds the run (continuing `resume` when given).
    /// Throws `SettingProblem` (a bad setting), `SpecError` (model and data do not
    /// fit), `TrainingDataError` (nothing left to train or test on), or the
    /// readers' errors.
    /// `network` is the fresh network to train (default: one built from `plan.model`).
    public init(plan: Plan, resume: Checkpointed? = nil, network fresh: Network? = nil) throws {
        try plan.settings.validate()
        if let l = plan.trainLimit { try TrainingSettings.Allowed.trainLimit.check(l, .trainLimit) }
        if let h = plan.holdout { try TrainingSettings.Allowed.holdout.check(h, .holdout) }
        self.plan = plan
        network = try resume?.network ?? fresh ?? Network(spec: plan.model)
        dataDirectory = try DataLocator.directory(for: plan.dataset, option: plan.dataOption)
        var data = try plan.dataset.load(from: dataDirectory, trainLimit: plan.trainLimit)
        var all = data.train!
        // Every part against the model, before pooling reads them as one.
        try network.check(all, role: "\(plan.dataset.rawValue) training")
        try network.check(data.test, role: "\(plan.dataset.rawValue) test")
        if let h = plan.holdout {
            // The seed notebooks' protocol: one pool, a stratified test share held out.
            let split = Splits.holdout(Splits.pooled(all, data.test), fraction: h, seed: plan.settings.seed)
            all = split.train; data.test = split.test
        }
        (train, validation) = all.splitLast(plan.settings.validationSplit)
        test = data.test
        guard train.count > 0 else {
            throw TrainingDataError("no training images are left after --limit, --holdout and --val-split (\(plan.dataset.rawValue) in \(dataDirectory)); the run needs at least one")
        }
        guard test.count > 0 else { throw TrainingDataError("the test set is empty (--holdout leaves no test image)") }
        notADigitClass = try TrainingMix.notADigitClass(plan.settings, network: network)
        trainer = Trainer(network: network, settings: plan.settings, initialize: resume == nil)
        trainer.notADigitClass = notADigitClass
        trainer.generated = try TrainingMix.source(plan.settings, network: network, dataOption: plan.dataOption)
        if let r = resume { try Checkpoint.restore(trainer, from: r.file, path: r.path) }
        trainer.augmenter = Augmentation(plan.settings)?.augmenter
    }

    /// What the weights and checkpoints record: the plan, so a run can be repeated or continued.
    public var metadata: WeightsMetadata {
        var m = WeightsMetadata()
        m.dataset = plan.dataset.rawValue
        m.settings = plan.settings
        m.trainLimit = plan.trainLimit
        m.holdout = plan.holdout
        m.trainedIn = plan.trainedIn
        m.notADigitClass = notADigitClass
        return m
    }

    /// The metadata of the finished weights: the plan and the test result.
    public func finalMetadata(_ test: Evaluation) -> WeightsMetadata {
        var m = metadata
        m.testAccuracy = test.accuracy
        m.testLoss = test.loss
        m.epochsTrained = trainer.epochsDone
        return m
    }

    /// Where a run keeps its checkpoint and history after every epoch.
    public struct Files: Sendable {
        public var checkpoint: String, history: String
        public init(checkpoint: String, history: String) { self.checkpoint = checkpoint; self.history = history }
    }

    public enum Outcome: Equatable { case finished, stopped }

    /// Trains the remaining epochs. With `files`, a checkpoint and the history are
    /// saved after every epoch (a failed save stops the run and is thrown). A loss
    /// that stops being finite throws `TrainingDiverged`; the last checkpoint,
    /// from the last good epoch, is kept.
    public func run(files: Files?, progress: (TrainingProgress) -> Void = { _ in },
                    epochEnded: (EpochRecord) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> Outcome {
        var saveError: Error?
        let meta = metadata.pairs
        let outcome = trainer.run(train: train, validation: validation, progress: progress,
            epochEnded: { record in
                epochEnded(record)
                guard let f = files else { return }
                do {
                    try Checkpoint.save(trainer, metadata: meta, to: f.checkpoint)
                    try AtomicFile.write(HistoryCSV.text(trainer.history), to: f.history)
                } catch { saveError = error }
            },
            shouldStop: { saveError != nil || shouldStop() })
        if let e = saveError { throw e }
        switch outcome {
        case .finished: return .finished
        case .stopped: return .stopped
        case let .diverged(epoch, batch):
            throw TrainingDiverged(epoch: epoch, batch: batch, lastGoodEpoch: trainer.epochsDone,
                                   checkpoint: trainer.epochsDone > 0 ? files?.checkpoint : nil,
                                   learningRate: trainer.optimizer.learningRate)
        }
    }
}

/// The data leaves nothing to train or test on.
public struct TrainingDataError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// The loss stopped being a finite number: the weights are ruined from `epoch` on.
public struct TrainingDiverged: Error, CustomStringConvertible, Sendable {
    public let epoch: Int, batch: Int, lastGoodEpoch: Int
    public let checkpoint: String?
    public let learningRate: Float
    public init(epoch: Int, batch: Int, lastGoodEpoch: Int, checkpoint: String?, learningRate: Float) {
        self.epoch = epoch; self.batch = batch; self.lastGoodEpoch = lastGoodEpoch
        self.checkpoint = checkpoint; self.learningRate = learningRate
    }
    public var description: String {
        "training diverged in epoch \(epoch), batch \(batch): the loss or the class scores are no longer finite numbers (the learning rate \(learningRate) is too high for this model?); "
            + (checkpoint.map { "the checkpoint after epoch \(lastGoodEpoch) is \($0)" } ?? "no weights were saved")
    }
}
