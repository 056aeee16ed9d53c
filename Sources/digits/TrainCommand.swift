import ArgumentParser
import ConvNet
import DigitData
#if canImport(Glibc)
import Glibc
#endif

/// `digits train`: trains a model by name or spec, checkpoints every epoch,
/// evaluates on the test set and saves weights with their history.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and save its weights (safetensors), history (CSV) and checkpoints.")

    @Option(help: "A model name (\(Architectures.names.joined(separator: ", "))) or a spec. Default: digitnet (seed002 for optdigits).")
    var model: String?

    @Option(help: "Repeat a seed notebook's experiment: its model, data set and settings (\(Preset.all.keys.sorted().joined(separator: ", "))).")
    var preset: String?

    @Option(help: "Pool the data set's train and test files and hold out this stratified fraction as the test set.")
    var holdout: Double?

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Passes over the training data (in total, counting a resumed run's).") var epochs: Int?
    @Option(help: "Examples per update.") var batchSize: Int?
    @Option(help: "adam, sgd or adadelta (Keras' formulas and defaults).") var optimizer: String?
    @Option(help: "Learning rate (default: the optimizer's Keras default).") var lr: Float?
    @Option(help: "Multiply the learning rate by this after every epoch.") var lrDecay: Float?
    @Option(help: "SGD momentum.") var momentum: Float?
    @Option(help: "Fraction of the training data (its end, as Keras) held out for validation.") var valSplit: Double?
    @Flag(help: "Randomly rotate, scale, shear and shift training images.") var augment = false
    @Option(help: "Seed of every random choice; the same seed repeats a run.") var seed: UInt64?
    @Option(help: "Initial weights: glorot (Keras' default) or he.") var initializer: String?
    @Option(help: "Threads to use (default: all cores).") var threads: Int?
    @Option(help: "Where to save the weights (default: <model>.safetensors).") var out: String?
    @Option(help: "Continue the run saved in this checkpoint.") var resume: String?
    @Option(help: "Use only the first N training images (quick experiments).") var limit: Int?
    @Flag(help: "Print the final result as one JSON object.") var json = false
    @Flag(help: "Also draw the training curves and samples of each class as PNG files next to the weights.") var plot = false

    func validate() throws {
        if let e = epochs, e < 1 { throw ValidationError("--epochs must be at least 1") }
        if let b = batchSize, b < 1 || b > 65536 { throw ValidationError("--batch-size must be between 1 and 65536") }
        if let o = optimizer, OptimizerKind(rawValue: o.lowercased()) == nil {
            throw ValidationError("--optimizer must be adam, sgd or adadelta")
        }
        if let l = lr, !(l > 0 && l.isFinite) { throw ValidationError("--lr must be a positive number") }
        if let d = lrDecay, !(d > 0 && d <= 1) { throw ValidationError("--lr-decay must be in (0, 1]") }
        if let v = valSplit, !(v >= 0 && v < 1) { throw ValidationError("--val-split must be in [0, 1)") }
        if let t = threads, t < 1 || t > 256 { throw ValidationError("--threads must be between 1 and 256") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
        if let i = initializer, Network.Initializer(rawValue: i.lowercased()) == nil {
            throw ValidationError("--initializer must be glorot or he")
        }
        if resume != nil && model != nil { throw ValidationError("--resume continues the checkpoint's own model; drop --model") }
        if let p = preset, Preset.all[p.lowercased()] == nil {
            throw ValidationError("unknown preset '\(p)' (known: \(Preset.all.keys.sorted().joined(separator: ", ")))")
        }
        if let h = holdout, !(h > 0 && h < 1) { throw ValidationError("--holdout must be in (0, 1)") }
    }

    func run() throws {
        if let t = threads { Threads.set(t) }
        var settings = TrainingSettings()
        let preset = self.preset.flatMap { Preset.all[$0.lowercased()] }
        var dataset = try dataOptions.resolvedDataset(default: preset?.dataset ?? .mnist)
        var holdout = self.holdout ?? preset?.holdout
        if let p = preset {
            settings.epochs = p.epochs; settings.batchSize = p.batchSize; settings.optimizer = p.optimizer
            settings.learningRate = p.learningRate; settings.validationSplit = p.validationSplit
        }
        var network: Network
        var resumeFile: Safetensors?
        var trainLimit = limit
        if let r = resume {
            let loaded = try WeightsFile.load(r)
            network = loaded.network
            resumeFile = loaded.file
            if let saved = loaded.file.meta("settings") { settings = try SettingsCodec.decode(saved, path: r) }
            if dataOptions.dataset == nil, let d = loaded.file.meta("dataset").flatMap(Dataset.init(rawValue:)) { dataset = d }
            // A resumed run sees the same training images as the run it continues.
            if trainLimit == nil { trainLimit = loaded.file.meta("train_limit").flatMap { Int($0) } }
            if holdout == nil { holdout = loaded.file.meta("holdout").flatMap { Double($0) } }
        } else {
            let name = model ?? preset?.model ?? (dataset == .optdigits ? "seed002" : Architectures.defaultName)
            network = try Network(spec: name)
        }
        if let e = epochs { settings.epochs = e }
        if let b = batchSize { settings.batchSize = b }
        if let o = optimizer { settings.optimizer = OptimizerKind(rawValue: o.lowercased())! }
        if let l = lr { settings.learningRate = l }
        if let d = lrDecay { settings.learningRateDecay = d }
        if let v = valSplit { settings.validationSplit = v }
        if augment { settings.augment = true }
        if let s = seed { settings.seed = s }
        if let i = initializer { settings.initializer = Network.Initializer(rawValue: i.lowercased())! }

        var data = try loadData(dataset, option: dataOptions.data, trainLimit: trainLimit)
        try network.check(data.train!, role: "\(dataset.rawValue) training"); try network.check(data.test, role: "\(dataset.rawValue) test")
        if let h = holdout {
            // The seed notebooks' protocol: one pool, a stratified test share held out.
            let split = Splits.holdout(Splits.pooled(data.train!, data.test), fraction: h, seed: settings.seed)
            data = (split.train, split.test, data.dir)
        }
        let (train, validation) = data.train!.splitLast(settings.validationSplit)

        let trainer = Trainer(network: network, settings: settings, initialize: resumeFile == nil)
        if let m = momentum { trainer.optimizer.momentum = m }
        if let f = resumeFile { try Checkpoint.restore(trainer, from: f, path: resume!) }
        if settings.augment { trainer.augmenter = Augmentation().augmenter }

        let outPath = out ?? resume.map(Paths.weightsPath(fromCheckpoint:)) ?? "\(network.name ?? "model").safetensors"
        let base = Paths.stem(outPath)
        let checkpointPath = "\(base).checkpoint.safetensors", historyPath = "\(base).history.csv"
        var meta: [(String, String)] = [("dataset", dataset.rawValue), ("settings", SettingsCodec.encode(settings))]
        if let l = trainLimit { meta.append(("train_limit", String(l))) }
        if let h = holdout { meta.append(("holdout", String(h))) }

        fputs("training \(network.name ?? network.spec) (\(Format.thousands(network.parameterCount)) parameters) on \(train.count) \(dataset.rawValue) images"
              + (holdout.map { ", testing on a stratified \(Int($0 * 100)) % of the pooled data (\(data.test.count))" } ?? "")
              + (validation.map { ", validating on \($0.count)" } ?? "")
              + ", \(settings.epochs) epochs of batch \(settings.batchSize), \(settings.optimizer.rawValue), \(Threads.count) threads"
              + (trainer.epochsDone > 0 ? ", resuming after epoch \(trainer.epochsDone)" : "") + "\n", stderr)
        if ProcessInfoLite.environment["DIGITS_PROFILE"] != nil { network.startTiming() }
        let printer = ProgressPrinter()
        Interrupt.install()
        var saveError: Error?
        let outcome = trainer.run(train: train, validation: validation,
            progress: { printer.update($0) },
            epochEnded: { record in
                printer.epochEnded(record, epochs: settings.epochs)
                do {
                    try Checkpoint.save(trainer, metadata: meta, to: checkpointPath)
                    try AtomicFile.write(HistoryCSV.text(trainer.history), to: historyPath)
                } catch { saveError = error; Interrupt.flag.pointee = 1 }
            },
            shouldStop: { Interrupt.requested })
        if let e = saveError { throw e }
        if let t = network.timing {
            let rows = layerRows(network)
            for (i, r) in rows.enumerated() {
                fputs("  \(Format.pad(r.name, 10)) forward \(Format.fixed(t.forward[i], 2)) s  backward \(Format.fixed(t.backward[i], 2)) s\n", stderr)
            }
            // With several threads the rows above are the first shard's; the step
            // also waits for the slowest shard.
            fputs("  steps (forward and backward, all shards) \(Format.fixed(trainer.stepSeconds, 2)) s, optimizer \(Format.fixed(trainer.updateSeconds, 2)) s\n", stderr)
        }
        if outcome == .stopped {
            printer.clear()
            let done = trainer.epochsDone
            throw UserError(done > 0
                ? "stopped during epoch \(done + 1); the checkpoint after epoch \(done) is \(checkpointPath) (continue with: digits train --resume \(checkpointPath))"
                : "stopped during the first epoch; nothing was saved", code: 130)
        }
        let test = Evaluation(network: network, data: data.test)
        var final = meta
        final.append(("test_accuracy", String(test.accuracy)))
        final.append(("test_loss", String(test.loss)))
        final.append(("epochs_trained", String(trainer.epochsDone)))
        try WeightsFile.save(network, metadata: final, to: outPath)
        try AtomicFile.write(HistoryCSV.text(trainer.history), to: historyPath)
        var pictures: [String] = []
        if plot {
            let curves = "\(base).curves.png", samples = "\(base).samples.png"
            try Figures.trainingCurves(trainer.history, title: "\(network.name ?? "model") on \(dataset.rawValue): test accuracy \(Format.percent(test.accuracy))").writePNG(to: curves)
            try Figures.samplesGrid(train, title: "\(dataset.rawValue) training examples by class").writePNG(to: samples)
            pictures = [curves, samples]
        }
        let last = trainer.history.last
        if json {
            printJSON(.object([
                ("model", network.name.map(JSON.string) ?? .string(network.spec)), ("dataset", .string(dataset.rawValue)),
                ("epochs", .int(trainer.epochsDone)), ("test_accuracy", .num(test.accuracy)), ("test_loss", .num(test.loss)),
                ("train_accuracy", .num(last?.trainAccuracy ?? 0)), ("val_accuracy", last?.validationAccuracy.map { .num($0) } ?? .null),
                ("images_per_second", .num(last?.imagesPerSecond ?? 0, 1)),
                ("peak_rss_mb", .num(Double(Benchmark.peakRSS) / 1048576, 1)),
                ("weights", .string(outPath)), ("history", .string(historyPath)), ("checkpoint", .string(checkpointPath)),
                ("plots", .array(pictures.map(JSON.string))),
            ]))
        } else {
            print("test accuracy \(Format.percent(test.accuracy)) (loss \(Format.fixed(test.loss, 4))) on \(test.count) images")
            print("weights: \(outPath)")
            print("history: \(historyPath)")
            for p in pictures { print("picture: \(p)") }
        }
    }
}

/// The training settings as JSON in the weights' metadata, so a checkpoint resumes
/// with the settings it was started with.
enum SettingsCodec {
    static func encode(_ s: TrainingSettings) -> String {
        JSON.object([
            ("epochs", .int(s.epochs)), ("batch_size", .int(s.batchSize)), ("optimizer", .string(s.optimizer.rawValue)),
            // Through the shortest decimal text of the Float, so 0.0015 stays 0.0015.
            ("learning_rate", s.learningRate.map { .number(Double(String($0))!) } ?? .null),
            ("learning_rate_decay", .number(Double(String(s.learningRateDecay))!)),
            ("validation_split", .number(s.validationSplit)), ("augment", .bool(s.augment)),
            ("seed", .string(String(s.seed))), ("initializer", .string(s.initializer.rawValue)),
        ]).text
    }

    static func decode(_ text: String, path: String) throws -> TrainingSettings {
        let bad = FileError(path, "its training settings are unreadable")
        guard let j = try? JSON.parse(text) else { throw bad }
        var s = TrainingSettings()
        guard let e = j["epochs"]?.number, let b = j["batch_size"]?.number,
              let o = j["optimizer"]?.string.flatMap(OptimizerKind.init(rawValue:)),
              let seed = j["seed"]?.string.flatMap({ UInt64($0) }) else { throw bad }
        s.epochs = Int(e); s.batchSize = Int(b); s.optimizer = o; s.seed = seed
        s.learningRate = j["learning_rate"]?.number.map { Float($0) }
        s.learningRateDecay = Float(j["learning_rate_decay"]?.number ?? 1)
        s.validationSplit = j["validation_split"]?.number ?? 0
        if case .bool(let a)? = j["augment"] { s.augment = a }
        if let i = j["initializer"]?.string.flatMap(Network.Initializer.init(rawValue:)) { s.initializer = i }
        return s
    }
}

enum Paths {
    /// "runs/x.safetensors" → "runs/x"
    static func stem(_ path: String) -> String {
        path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) : path
    }

    /// "runs/x.checkpoint.safetensors" → "runs/x.safetensors"
    static func weightsPath(fromCheckpoint p: String) -> String {
        let s = stem(p)
        return (s.hasSuffix(".checkpoint") ? String(s.dropLast(".checkpoint".count)) : s + ".resumed") + ".safetensors"
    }
}
