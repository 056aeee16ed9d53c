import ArgumentParser
import ConvNet
import DigitData
import Glibc

/// `digits teach`: fine-tunes a model on your labelled samples (with MNIST
/// rehearsal), says before → after on your samples (cross-validated) and on
/// MNIST test, and saves the taught model — never over the shipped one.
struct TeachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teach",
        abstract: "Teach the model your handwriting: fine-tune it on your labelled samples.",
        discussion: """
        Your samples are judged by cross-validation: each is read by a model taught the \
        others, never itself. MNIST (found like `digits eval` finds it) is mixed in so the \
        model does not forget, and its test set says what teaching cost.
        """)

    @OptionGroup var weightsOptions: WeightsOptions
    @Option(help: "Your samples folder (default: $XDG_DATA_HOME/digits/mine).") var samples: String?
    @Option(help: "The directory holding MNIST.") var data: String?
    @Option(help: "Where to save the taught weights (default: taught.safetensors). Never the shipped model.") var out: String = "taught.safetensors"
    @Option(parsing: .unconditional, help: "Seed of every random choice; the same seed repeats a run.") var seed: UInt64 = 1
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try TeachOutput.checkNotShipped(out)
        try AtomicFile.checkWritable(out)
        let (network, file, path) = try weightsOptions.load()
        let meta = try WeightsMetadata(file, path: path)
        guard network.inputShape == Shape(28, 28, 1) else {
            throw UserError("\(path): teaching takes models of 28×28 digits; this one takes \(network.inputShape)")
        }
        let store = SampleStore(option: samples)
        let dir = store.directory
        try TeachOutput.checkNotAnInput(out, weights: path, samples: dir)
        let (mine, problem) = try TeachingInput.samples(store)
        // A damaged folder: its one line, and the good samples are taught.
        if let p = problem { Diagnostics.printLine(p) }
        let mnist = try loadData(.mnist, option: data)
        var settings = TeachingSettings()
        settings.seed = seed
        let teaching = try Teaching(network: network, notADigitClass: meta.notADigitClass, samples: mine,
                                    rehearsal: mnist.train!, test: mnist.test, settings: settings)
        let printer = TeachProgressPrinter()
        let report = try teaching.run(progress: printer.update)
        printer.clear()
        guard teaching.network.isUsable else {
            throw UserError("teaching gave class scores that are not finite numbers; nothing was saved")
        }
        var saved = meta
        saved.testAccuracy = report.testAfter
        saved.testLoss = nil
        saved.trainedIn = "digits teach (\(report.samples) samples)"
        try WeightsFile.save(teaching.network, metadata: saved.pairs, to: out)
        if json {
            printJSON(.object([
                ("weights", .string(path)), ("samples_dir", .string(dir)), ("out", .string(out)),
                ("samples", .int(report.samples)), ("folds", .int(report.folds)),
                ("samples_before", .num(report.samplesBefore)), ("samples_after", .num(report.samplesAfter)),
                ("samples_right_before", .int(report.samplesRightBefore)), ("samples_right_after", .int(report.samplesRightAfter)),
                ("mnist_test_count", .int(report.testCount)),
                ("mnist_before", .num(report.testBefore ?? 0)), ("mnist_after", .num(report.testAfter ?? 0)),
                ("teach_seconds", .num(report.teachSeconds, 3)), ("seconds", .num(report.totalSeconds, 3)),
            ]))
            return
        }
        print("taught \(Diagnostics.escaped(path)) (\(network.name ?? "custom")) \(report.samples) samples from \(Diagnostics.escaped(dir)), with MNIST rehearsal")
        print("your samples, \(report.folds)-fold (each read by a model not taught it): \(Format.percent(report.samplesBefore)) → \(Format.percent(report.samplesAfter))   (\(report.samplesRightBefore) → \(report.samplesRightAfter) of \(report.samples) right)")
        print("MNIST test (\(Format.thousands(report.testCount)) images): \(Format.percent(report.testBefore ?? 0)) → \(Format.percent(report.testAfter ?? 0))")
        print("taught in \(Format.fixed(report.teachSeconds, 1)) s (\(Format.fixed(report.totalSeconds, 1)) s with the cross-validation and MNIST test)")
        print("saved \(Diagnostics.escaped(out)) (use it: digits draw --weights \(Diagnostics.escaped(out)))")
    }
}

/// Teaching's progress on stderr: a redrawn line on a terminal, a line every
/// 10 seconds otherwise.
final class TeachProgressPrinter {
    private let tty = isatty(2) != 0
    private var last = 0.0

    func update(_ p: TeachingProgress) {
        let t = now()
        guard t - last >= (tty ? 0.1 : 10) else { return }
        last = t
        let what: String
        switch p.stage {
        case .preparing: what = "reading the samples and MNIST through the model"
        case let .fold(f, of: k): what = "cross-validation fold \(f)/\(k), step \(p.step)/\(p.steps), loss \(Format.fixed(p.loss, 4))"
        case .teaching: what = "teaching, step \(p.step)/\(p.steps), loss \(Format.fixed(p.loss, 4))"
        case .measuring: what = "measuring"
        }
        let line = "\(Format.fixed(p.fraction * 100, 0)) %  \(what)"
        fputs(tty ? "\r\u{1B}[2K" + line : line + "\n", stderr)
    }

    func clear() { if tty { fputs("\r\u{1B}[2K", stderr) } }
}

/// The one rule for where taught weights may go: anywhere but over the shipped model.
enum TeachOutput {
    static func checkNotShipped(_ out: String) throws {
        // A new file cannot be the shipped one.
        if Locations.shippedCandidates.contains(where: { OutputGuard.sameFile(out, $0) }) {
            throw UserError("\(out) is the shipped model: teaching never replaces it; save under another name with --out FILE")
        }
    }

    /// Nor over the weights it reads, nor into the samples folder it reads (a file
    /// there would be taken for part of the store, or replace it).
    static func checkNotAnInput(_ out: String, weights: String, samples: String) throws {
        try OutputGuard.check(out, isNot: [("the weights file", weights)])
        if OutputGuard.isInside(out, directory: samples) {
            throw FileError(out, "is inside the samples folder this command reads; write the taught weights elsewhere")
        }
    }
}
