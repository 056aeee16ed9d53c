import ArgumentParser
import ConvNet
import DigitData
import Glibc

/// `digits cv`: stratified k-fold cross-validation of a model on a data set's
/// pooled examples; each fold trains a fresh model and tests on the held-out fold.
struct CVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Stratified k-fold cross-validation: accuracy per fold, mean and standard deviation.")

    @Option(help: "A model name or spec (default: seed002 for optdigits, seed003 for MNIST).") var model: String?
    @OptionGroup var dataOptions: DataOptions
    @Option(parsing: .unconditional, help: "Number of folds.") var folds: Int = 5
    @Option(parsing: .unconditional, help: "Epochs per fold (default: the model's preset, else 10).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Batch size (default: the model's preset, else 64).") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Learning rate (default: the optimizer's).") var lr: Float?
    @Option(parsing: .unconditional, help: "Seed of the folds and of each fold's training.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Use only the first N pooled examples.") var limit: Int?
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        try checkOptions {
            try OptionRules.folds.check(folds, option: "--folds")
            var s = TrainingSettings()
            if let e = epochs { s.epochs = e }
            if let b = batchSize { s.batchSize = b }
            s.learningRate = lr
            try s.validate()
            if let l = limit { try TrainingSettings.Allowed.trainLimit.check(l, .trainLimit) }
        }
        if dataOptions.dataset?.splitsByWriter == true {
            throw ValidationError("cv folds split by sample; --dataset unipen is split by writer (train on it, then digits eval --dataset unipen scores the held-out writers)")
        }
    }

    func run() throws {
        let dataset = dataOptions.resolvedDataset(default: .optdigits)
        let name = model ?? (dataset == .optdigits ? "seed002" : "seed003")
        let probe = try Network(spec: name)
        let preset = probe.name.flatMap { Preset.all[$0] }
        let loaded = try loadData(dataset, option: dataOptions.data)
        try probe.check(loaded.train!, role: "\(dataset.rawValue) training"); try probe.check(loaded.test, role: "\(dataset.rawValue) test")
        var pool = Splits.pooled(loaded.train!, loaded.test)
        if let l = limit { pool = pool.prefix(l) }
        var settings = TrainingSettings()
        settings.epochs = epochs ?? preset?.epochs ?? 10
        settings.batchSize = batchSize ?? preset?.batchSize ?? 64
        settings.optimizer = preset?.optimizer ?? .adam
        settings.learningRate = lr ?? preset?.learningRate
        guard pool.count >= 2 * folds else {
            throw TrainingDataError("\(pool.count) examples are too few for \(folds) folds (at least \(2 * folds) are needed)")
        }
        let parts = Splits.folds(pool, k: folds, seed: seed)
        fputs("\(folds)-fold cross-validation of \(probe.name ?? probe.spec) on \(pool.count) \(dataset.rawValue) examples, \(settings.epochs) epochs of batch \(settings.batchSize) per fold\n", stderr)
        let printer = ProgressPrinter()
        Interrupt.install()
        var accuracies: [Double] = []
        for (f, testIdx) in parts.enumerated() {
            let held = Set(testIdx)
            let trainIdx = (0..<pool.count).filter { !held.contains($0) }
            let net = try Network(spec: name)
            var s = settings
            s.seed = seed &+ UInt64(f) &* 1000
            let trainer = Trainer(network: net, settings: s)
            let outcome = trainer.run(train: pool.subset(trainIdx), validation: nil,
                                      progress: { p in
                                          var q = p
                                          q.epochs = settings.epochs
                                          printer.update(q, label: "fold \(f + 1)/\(folds)")
                                      },
                                      shouldStop: { Interrupt.requested })
            if outcome == .stopped { printer.clear(); throw UserError("stopped during fold \(f + 1)", code: 130) }
            if case let .diverged(epoch, batch) = outcome {
                printer.clear()
                throw TrainingDiverged(epoch: epoch, batch: batch, lastGoodEpoch: trainer.epochsDone, checkpoint: nil,
                                       learningRate: trainer.optimizer.learningRate)
            }
            let e = Evaluation(network: net, data: pool.subset(testIdx))
            accuracies.append(e.accuracy)
            printer.clear()
            fputs("fold \(f + 1)/\(folds): \(Format.percent(e.accuracy)) on \(testIdx.count) examples\n", stderr)
        }
        let mean = accuracies.reduce(0, +) / Double(accuracies.count)
        let std = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accuracies.count)).squareRoot()
        if json {
            printJSON(.object([
                ("model", .string(probe.name ?? probe.spec)), ("dataset", .string(dataset.rawValue)), ("folds", .int(folds)),
                ("examples", .int(pool.count)), ("epochs", .int(settings.epochs)),
                ("fold_accuracy", .array(accuracies.map { .num($0) })), ("mean_accuracy", .num(mean)), ("std_accuracy", .num(std)),
            ]))
        } else {
            print(Format.pad("fold", 8) + Format.pad("accuracy", 12, right: true) + Format.pad("examples", 12, right: true))
            for (f, a) in accuracies.enumerated() {
                print(Format.pad("\(f + 1)", 8) + Format.pad(Format.percent(a), 12, right: true) + Format.pad("\(parts[f].count)", 12, right: true))
            }
            print("mean \(Format.percent(mean)) ± \(Format.percent(std)) (standard deviation over \(folds) folds)")
        }
    }
}
