import ArgumentParser
import ConvNet
import DigitData
import Glibc

/// `digits teach-bench` (not in the help; `make teach-bench`): issue 14's table.
/// For the held-out UNIPEN writers the model reads worst: teach `--per-digit`
/// of each digit (drawn through the app's canvas path), then read that writer's
/// other digits before and after, and MNIST test before and after. Any weights.
struct TeachBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teach-bench",
        abstract: "Measure teaching on the UNIPEN writers the model reads worst (issue 14's table).",
        shouldDisplay: false)

    @OptionGroup var weightsOptions: WeightsOptions
    @Option(help: "The directory holding MNIST (for rehearsal and the test set).") var data: String?
    @Option(help: "The UNIPEN digits file (digits.jsonl.gz).") var unipen: String
    @Option(help: "How many writers.") var writers = 5
    @Option(help: "Samples of each digit taught.") var perDigit = 5
    @Option(help: "Adam steps of one fit.") var steps: Int?
    @Option(help: "Learning rate.") var learningRate: Float?
    @Option(help: "First layer trained (index; default the first dense layer).") var firstLayer: Int?
    @Option(help: "Augmented copies of each sample.") var copies: Int?
    @Option(help: "MNIST training images rehearsed.") var rehearsal: Int?
    @Option(help: "Cross-validation folds.") var folds: Int?
    @Option(help: "Share of each batch from the samples.") var ownShare: Double?
    @Option(help: "The optimizer.") var optimizer: OptimizerKind?
    @Option(help: "Pull towards the starting weights (L2-SP).") var anchor: Float?
    @Flag(help: "Choose among every writer, not only the held-out ones (for a model that never trained on UNIPEN).") var allWriters = false
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        try checkOptions {
            try Bounds<Int>(1, 64).check(writers, option: "--writers")
            try Bounds<Int>(1, 50).check(perDigit, option: "--per-digit")
            if let s = steps { try Bounds<Int>(1, 100_000).check(s, option: "--steps") }
            if let l = learningRate { try Bounds<Float>(0, 1, openBelow: true).check(l, option: "--learning-rate") }
            if let c = copies { try Bounds<Int>(0, 1000).check(c, option: "--copies") }
            if let r = rehearsal { try Bounds<Int>(0, 60_000).check(r, option: "--rehearsal") }
            if let f = folds { try OptionRules.folds.check(f, option: "--folds") }
            if let a = anchor { try Bounds<Float>(0, 100).check(a, option: "--anchor") }
            if let o = ownShare { try Bounds<Double>(0, 1, openBelow: true).check(o, option: "--own-share") }
        }
    }

    func run() throws {
        let (network, file, path) = try weightsOptions.load()
        let meta = try WeightsMetadata(file, path: path)
        guard network.inputShape == Shape(28, 28, 1) else { throw UserError("\(path): teaching takes 28×28 models") }
        if let f = firstLayer, f < 0 || f >= network.layers.count {
            throw ValidationError("--first-layer must be a layer index from 0 to \(network.layers.count - 1)")
        }
        var settings = TeachingSettings()
        if let s = steps { settings.steps = s }
        if let l = learningRate { settings.learningRate = l }
        if let c = copies { settings.augmentedCopies = c }
        if let r = rehearsal { settings.rehearsal = r }
        if let f = folds { settings.folds = f }
        if let o = ownShare { settings.ownShare = o }
        if let a = anchor { settings.anchor = a }
        if let o = optimizer { settings.optimizer = o }
        settings.firstLayer = firstLayer
        let mnist = try loadData(.mnist, option: data)
        let pen = try PenStrokes.read(unipen, labels: .digits)
        let trials = WriterTrial.worstWriters(pen, network: network, count: writers, perDigit: perDigit, heldOutOnly: !allWriters)
        guard !trials.isEmpty else { throw UserError("\(unipen): no \(allWriters ? "" : "held-out ")writer has more than \(perDigit) samples of every digit") }
        if trials.count < writers {
            fputs("only \(trials.count) \(allWriters ? "" : "held-out ")writers have more than \(perDigit) samples of every digit\(allWriters ? "" : " (--all-writers: every writer, for a model that never trained on UNIPEN)")\n", stderr)
        }
        let load = loadAverage()
        var rows: [JSON] = []
        if !json {
            print("\(Diagnostics.escaped(path)): the \(trials.count) \(allWriters ? "" : "held-out ")writers it reads worst, \(perDigit) of each digit taught; load \(load)")
            print("writer            taught  others   others before → after   MNIST test before → after   teach s  all s  CPU s")
        }
        var afterSum = 0.0, worstDrop = 0.0, maxTeach = 0.0, maxAll = 0.0, maxCPU = 0.0
        for t in trials {
            let teaching = try Teaching(network: network, notADigitClass: meta.notADigitClass, samples: t.taught,
                                        rehearsal: mnist.train!, test: mnist.test, settings: settings)
            let cpu0 = cpuSeconds()
            let r = try teaching.run()
            let cpu = cpuSeconds() - cpu0
            let before = Evaluation(network: network, data: t.others).accuracy
            let after = Evaluation(network: teaching.network, data: t.others).accuracy
            afterSum += after
            worstDrop = max(worstDrop, (r.testBefore ?? 0) - (r.testAfter ?? 0))
            maxTeach = max(maxTeach, r.teachSeconds); maxAll = max(maxAll, r.totalSeconds)
            maxCPU = max(maxCPU, cpu)
            if json {
                rows.append(.object([
                    ("site", .string(t.site)), ("writer", .string(t.writer)), ("taught", .int(t.taught.count)),
                    ("others", .int(t.others.count)), ("others_before", .num(before)), ("others_after", .num(after)),
                    ("samples_cv_before", .num(r.samplesBefore)), ("samples_cv_after", .num(r.samplesAfter)),
                    ("mnist_before", .num(r.testBefore ?? 0)), ("mnist_after", .num(r.testAfter ?? 0)),
                    ("teach_seconds", .num(r.teachSeconds, 2)), ("total_seconds", .num(r.totalSeconds, 2)),
                    ("cpu_seconds", .num(cpu, 2)),
                ]))
            } else {
                print(Format.pad("\(t.site)/\(t.writer)", 18) + Format.pad("\(t.taught.count)", 6, right: true)
                      + Format.pad("\(t.others.count)", 8, right: true)
                      + Format.pad("\(Format.percent(before)) → \(Format.percent(after))", 26, right: true)
                      + Format.pad("\(Format.percent(r.testBefore ?? 0)) → \(Format.percent(r.testAfter ?? 0))", 28, right: true)
                      + Format.pad(Format.fixed(r.teachSeconds, 1), 9, right: true) + Format.pad(Format.fixed(r.totalSeconds, 1), 7, right: true) + Format.pad(Format.fixed(cpu, 1), 7, right: true))
            }
        }
        let mean = afterSum / Double(trials.count)
        if json {
            printJSON(.object([("weights", .string(path)), ("load", .string(load)), ("per_digit", .int(perDigit)),
                               ("writers", .array(rows)), ("others_after_mean", .num(mean)),
                               ("mnist_worst_drop", .num(worstDrop)), ("teach_seconds_max", .num(maxTeach, 2)),
                               ("total_seconds_max", .num(maxAll, 2)), ("cpu_seconds_max", .num(maxCPU, 2))]))
        } else {
            print("mean after \(Format.percent(mean)); worst MNIST drop \(Format.fixed(worstDrop * 100, 2)) points; longest teach \(Format.fixed(maxTeach, 1)) s (\(Format.fixed(maxAll, 1)) s with the cross-validation and MNIST test, at most \(Format.fixed(maxCPU, 1)) s of CPU)")
        }
    }

    /// Seconds of CPU this process has used (user + system, every thread): what a
    /// run costs whatever else the machine is doing.
    private func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// The 1-minute load average, to say how busy the machine was.
    private func loadAverage() -> String {
        var l = [Double](repeating: 0, count: 3)
        return getloadavg(&l, 3) > 0 ? Format.fixed(l[0], 2) : "unknown"
    }
}
