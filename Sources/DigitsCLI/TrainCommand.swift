import Foundation
import ArgumentParser
import ConvNet
import DigitData
import Glibc

/// `digits train`: trains a model by name or spec, checkpoints every epoch,
/// evaluates on the test set and saves weights with their history.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and save its weights (safetensors), history (CSV) and checkpoints.")

    @Option(help: "A model name (\(Architectures.names.joined(separator: ", "))) or a spec. Default: digitnet (seed002 for optdigits).")
    var model: String?

    @Option(help: "Repeat a seed notebook's experiment: its model, data set and settings.")
    var preset: PresetName?

    @Option(parsing: .unconditional, help: "Pool the data set's train and test files and hold out this stratified fraction as the test set.")
    var holdout: Double?

    @OptionGroup var dataOptions: DataOptions

    @Option(parsing: .unconditional, help: "Passes over the training data (in total, counting a resumed run's).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Examples per update.") var batchSize: Int?
    @Option(help: "The optimizer (Keras' formulas and defaults).") var optimizer: OptimizerKind?
    @Option(parsing: .unconditional, help: "Learning rate (default: the optimizer's Keras default).") var lr: Float?
    @Option(parsing: .unconditional, help: "Multiply the learning rate by this after every epoch.") var lrDecay: Float?
    @Option(parsing: .unconditional, help: "SGD momentum.") var momentum: Float?
    @Option(parsing: .unconditional, help: "Fraction of the training data (its end, as Keras) held out for validation.") var valSplit: Double?
    @Flag(help: "Randomly rotate, scale, shear and shift training images.") var augment = false
    @Option(parsing: .unconditional, help: "Elastic distortion: the typical displacement in pixels (0 = none).") var elastic: Float?
    @Option(parsing: .unconditional, help: "Share of images stretched to fill a square box, as scans (0…1).") var stretch: Float?
    @Option(parsing: .unconditional, help: "Share of images whose strokes are made thicker or thinner (0…1).") var thickness: Float?
    @Option(help: "How the learning rate moves: step (× --lr-decay every epoch), cosine, onecycle.") var schedule: LearningRateSchedule?
    @Option(parsing: .unconditional, help: "Label smoothing ε (0 = one-hot targets).") var labelSmoothing: Float?
    @Option(parsing: .unconditional, help: "End with the moving average of the weights, of this decay (0 = none; e.g. 0.999).") var averaging: Float?
    @Option(parsing: .unconditional, help: "Mix in each training writer's pen digit (unipen) this many times an epoch, drawn with a random brush.") var penDigits: Int?
    @Option(parsing: .unconditional, help: "Mix in this many 'not a digit' drawings an epoch (letters, scribbles, shapes; the model needs an 11th output).") var negatives: Int?
    @Option(parsing: .unconditional, help: "Bend each drawn pen path smoothly and move its strokes apart, by up to this share of its size (0…0.2), as other writers would.") var penWarp: Float?
    @Option(parsing: .unconditional, help: "Seed of every random choice; the same seed repeats a run.") var seed: UInt64?
    @Option(help: "Initial weights (glorot is Keras' default).") var initializer: Network.Initializer?
    @Option(parsing: .unconditional, help: "Threads to use (default: all cores).") var threads: Int?
    @Option(help: "Where to save the weights (default: <model>.safetensors).") var out: String?
    @Option(help: "Continue the run saved in this checkpoint.") var resume: String?
    @Option(parsing: .unconditional, help: "Use only the first N training images (quick experiments).") var limit: Int?
    @Flag(help: "Print the final result as one JSON object.") var json = false
    @Flag(help: "Also draw the training curves and samples of each class as PNG files next to the weights.") var plot = false

    func validate() throws {
        try checkOptions {
            // The options alone, over the defaults (which pass): the same rules a
            // checkpoint's settings meet, from the same function.
            var s = TrainingSettings()
            apply(to: &s)
            try s.validate()
            if let l = limit { try TrainingSettings.Allowed.trainLimit.check(l, .trainLimit) }
            if let h = holdout { try TrainingSettings.Allowed.holdout.check(h, .holdout) }
            if let t = threads { try OptionRules.threads.check(t, option: "--threads") }
        }
        if holdout != nil && dataOptions.dataset?.splitsByWriter == true {
            throw ValidationError("--holdout splits by sample; --dataset unipen is split by writer (its test set is the held-out writers)")
        }
        if resume != nil && model != nil { throw ValidationError("--resume continues the checkpoint's own model; drop --model") }
        // A warp with nothing drawn to bend would be a setting that silently does nothing.
        if let w = penWarp, w > 0, resume == nil, (penDigits ?? 0) == 0, (negatives ?? 0) == 0 {
            throw ValidationError("--pen-warp bends the drawn pen examples: add --pen-digits N or --negatives N")
        }
    }

    /// The explicit options over `s` (a preset's or a checkpoint's settings).
    func apply(to s: inout TrainingSettings) {
        if let e = epochs { s.epochs = e }
        if let b = batchSize { s.batchSize = b }
        if let o = optimizer { s.optimizer = o }
        if let l = lr { s.learningRate = l }
        if let d = lrDecay { s.learningRateDecay = d }
        if let m = momentum { s.momentum = m }
        if let v = valSplit { s.validationSplit = v }
        if augment { s.augment = true }
        if let seed { s.seed = seed }
        if let i = initializer { s.initializer = i }
        if let e = elastic { s.elastic = e }
        if let v = stretch { s.stretch = v }
        if let v = thickness { s.thickness = v }
        if let v = schedule { s.schedule = v }
        if let v = labelSmoothing { s.labelSmoothing = v }
        if let v = averaging { s.averaging = v }
        if let v = penDigits { s.penDigits = v }
        if let v = negatives { s.negatives = v }
        if let v = penWarp { s.penWarp = v }
    }

    /// The run as asked: a checkpoint's plan, else a preset's, then the options over it.
    func plan(resuming checkpoint: TrainingRun.Checkpointed?) throws -> TrainingRun.Plan {
        var plan: TrainingRun.Plan
        if let c = checkpoint {
            plan = try c.plan(dataOption: dataOptions.data)
            if let d = dataOptions.dataset { plan.dataset = d }
        } else {
            let preset = self.preset?.preset
            let dataset = dataOptions.dataset ?? preset?.dataset ?? .mnist
            plan = TrainingRun.Plan(model: model ?? preset?.model ?? (dataset == .optdigits ? "seed002" : Architectures.defaultName),
                                    dataset: dataset, dataOption: dataOptions.data, holdout: preset?.holdout)
            if let p = preset {
                plan.settings.epochs = p.epochs; plan.settings.batchSize = p.batchSize; plan.settings.optimizer = p.optimizer
                plan.settings.learningRate = p.learningRate; plan.settings.validationSplit = p.validationSplit
            }
        }
        apply(to: &plan.settings)
        if let l = limit { plan.trainLimit = l }
        if let h = holdout { plan.holdout = h }
        return plan
    }

    func run() throws {
        if let t = threads { Threads.set(t) }
        let checkpoint = try resume.map(TrainingRun.Checkpointed.init(path:))
        let plan = try self.plan(resuming: checkpoint)
        let run = try TrainingRun(plan: plan, resume: checkpoint)
        noteSampleProblems(plan.dataset, in: run.dataDirectory)
        let outPath = out ?? resume.map(Paths.weightsPath(fromCheckpoint:)) ?? "\(run.network.name ?? "model").safetensors"
        let base = Paths.stem(outPath)
        let files = TrainingRun.Files(checkpoint: "\(base).checkpoint.safetensors", history: "\(base).history.csv")
        let pictures = plot ? ["\(base).curves.png", "\(base).samples.png"] : []
        // Every file this run will write, checked before the first epoch rather than after the last.
        for path in [outPath, files.checkpoint, files.history] + pictures { try AtomicFile.checkWritable(path) }

        let network = run.network, trainer = run.trainer, settings = plan.settings
        let dataset = plan.dataset
        fputs("training \(network.name ?? network.spec) (\(Format.thousands(network.parameterCount)) parameters) on \(run.train.count) \(dataset.rawValue) images"
              + (plan.holdout.map { ", testing on a stratified \(Int($0 * 100)) % of the pooled data (\(run.test.count))" } ?? "")
              + (run.validation.map { ", validating on \($0.count)" } ?? "")
              + ", \(settings.epochs) epochs of batch \(settings.batchSize), \(settings.optimizer.rawValue), \(Threads.count) threads"
              + (trainer.epochsDone > 0 ? ", resuming after epoch \(trainer.epochsDone)" : "") + "\n", stderr)
        if ProcessInfo.processInfo.environment["DIGITS_PROFILE"] != nil { network.startTiming() }
        let printer = ProgressPrinter()
        Interrupt.install()
        let outcome: TrainingRun.Outcome
        do {
            outcome = try run.run(files: files, progress: { printer.update($0) },
                                  epochEnded: { printer.epochEnded($0, epochs: settings.epochs) },
                                  shouldStop: { Interrupt.requested })
        } catch {
            printer.clear()
            throw error
        }
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
                ? "stopped during epoch \(done + 1); the checkpoint after epoch \(done) is \(files.checkpoint) (continue with: digits train --resume \(files.checkpoint))"
                : "stopped during the first epoch; nothing was saved", code: 130)
        }
        let test = Evaluation(network: network, data: run.test, notADigitClass: run.notADigitClass)
        try WeightsFile.save(network, metadata: run.finalMetadata(test).pairs, to: outPath)
        try AtomicFile.write(HistoryCSV.text(trainer.history), to: files.history)
        if plot {
            try Figures.trainingCurves(trainer.history, title: "\(network.name ?? "model") on \(dataset.rawValue): test accuracy \(Format.percent(test.accuracy))").writePNG(to: pictures[0])
            try Figures.samplesGrid(run.train, title: "\(dataset.rawValue) training examples by class").writePNG(to: pictures[1])
        }
        let last = trainer.history.last
        if json {
            printJSON(.object([
                ("model", network.name.map(JSON.string) ?? .string(network.spec)), ("dataset", .string(dataset.rawValue)),
                ("epochs", .int(trainer.epochsDone)), ("test_accuracy", .num(test.accuracy)), ("test_loss", .num(test.loss)),
                ("train_accuracy", .num(last?.trainAccuracy ?? 0)), ("val_accuracy", last?.validationAccuracy.map { .num($0) } ?? .null),
                ("images_per_second", .num(last?.imagesPerSecond ?? 0, 1)),
                ("peak_rss_mb", .num(Double(Benchmark.peakRSS) / 1048576, 1)),
                ("weights", .string(outPath)), ("history", .string(files.history)), ("checkpoint", .string(files.checkpoint)),
                ("plots", .array(pictures.map(JSON.string))),
            ]))
        } else {
            print("test accuracy \(Format.percent(test.accuracy)) (loss \(Format.fixed(test.loss, 4))) on \(test.count) images")
            print("weights: \(Diagnostics.escaped(outPath))")
            print("history: \(Diagnostics.escaped(files.history))")
            for p in pictures { print("picture: \(Diagnostics.escaped(p))") }
        }
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

extension LearningRateSchedule: ExpressibleByArgument {}
