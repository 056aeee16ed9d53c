import ArgumentParser
import ConvNet
import DigitData

/// `digits eval`: loss, accuracy, confusion matrix and per-class report on a test set.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate weights on a test set: accuracy, confusion matrix, per-class precision/recall/F1.")

    @OptionGroup var weightsOptions: WeightsOptions
    @OptionGroup var dataOptions: DataOptions
    @Option(parsing: .unconditional, help: "Use only the first N test images.") var limit: Int?
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Also draw the confusion matrix and the misclassified images as PNG files.") var plot = false
    @Option(help: "Directory for the pictures of --plot.") var plotDir: String = "."
    @OptionGroup var penOptions: PenOptions

    func validate() throws {
        try checkOptions {
            if let l = limit { try OptionRules.testLimit.check(l, option: "--limit") }
            try penOptions.check(dataset: dataOptions.dataset)
            if plot && dataOptions.dataset == .letters { throw ValidationError("--plot draws digits' confusion; --dataset letters has no digits") }
        }
    }

    func run() throws {
        let (network, file, path) = try weightsOptions.load()
        let recorded = try WeightsMetadata(file, path: path).dataset.flatMap(Dataset.init(rawValue:))
        let dataset = dataOptions.resolvedDataset(default: recorded ?? .mnist)
        // Checked on load (WeightsFile); a verdict model is scored by its best digit output.
        let notADigitClass = try WeightsMetadata.checkNotADigitClass(file.meta, classes: network.classes)
        if dataset == .letters {
            return try EvalLetters.run(network, path: path, notADigitClass: notADigitClass, option: dataOptions.data, limit: limit, json: json)
        }
        // Pen strokes keep each image's writer, for the per-writer report.
        let pen = dataset == .unipen ? try penOptions.load(option: dataOptions.data, limit: limit) : nil
        let data = try pen.map { (train: LabeledImages?.none, test: $0.images, dir: "") }
            ?? loadData(dataset, option: dataOptions.data, testLimit: limit, needTrain: false)
        try network.check(data.test, role: "\(dataset.rawValue) test")
        let start = now()
        let e = Evaluation(network: network, data: data.test, notADigitClass: notADigitClass)
        let seconds = now() - start
        // Weights that pass the load check can still overflow on some images;
        // a count of right answers among NaN scores is no result.
        guard e.loss.isFinite else {
            throw UserError("\(path): gives non-finite class scores for some of the \(dataset.rawValue) test images: its accuracy cannot be measured")
        }
        // A verdict model (checked on load): the share of each verdict (EvalVerdict).
        let verdicts = notADigitClass.map { VerdictTally.measure(network, on: data.test, notADigitClass: $0) }
        var pictures: [String] = []
        if plot {
            let stem = "\(plotDir)/\(network.name ?? "model")-\(dataset.rawValue)"
            for p in [stem + "-confusion.png", stem + "-errors.png"] { try AtomicFile.checkWritable(p) }
            try Figures.confusionMatrix(e.confusion, title: "\(network.name ?? "model") on \(dataset.rawValue) test: \(Format.percent(e.accuracy))").writePNG(to: stem + "-confusion.png")
            try Figures.misclassified(data.test, predictions: e.predictions, title: "misclassified (true -> predicted), first 60 of \(e.count - Int((e.accuracy * Double(e.count)).rounded()))").writePNG(to: stem + "-errors.png")
            pictures = [stem + "-confusion.png", stem + "-errors.png"]
        }
        if json {
            func score(_ s: Evaluation.ClassScore) -> [(String, JSON)] {
                [("precision", .num(s.precision)), ("recall", .num(s.recall)), ("f1", .num(s.f1)), ("support", .int(s.support))]
            }
            printJSON(.object([
                ("weights", .string(path)), ("model", network.name.map(JSON.string) ?? .string(network.spec)),
                ("dataset", .string(dataset.rawValue)), ("count", .int(e.count)),
                ("accuracy", .num(e.accuracy)), ("loss", .num(e.loss)),
                ("errors", .int(e.count - Int((e.accuracy * Double(e.count)).rounded()))),
                ("confusion", .array(e.confusion.map { .array($0.map(JSON.int)) })),
                ("per_class", .array(e.perClass.enumerated().map { .object([("class", .int($0.offset))] + score($0.element)) })),
                ("macro_avg", .object(score(e.macroAverage))), ("weighted_avg", .object(score(e.weightedAverage))),
                ("verdict", EvalVerdict.json(verdicts)),
                ("seconds", .num(seconds, 3)), ("plots", .array(pictures.map(JSON.string))),
            ] + (pen.map { penOptions.json($0, e) } ?? [])))
            return
        }
        print("\(Diagnostics.escaped(path)) (\(network.name ?? "custom"), \(Format.thousands(network.parameterCount)) parameters) on \(Format.thousands(e.count)) \(dataset.rawValue) test images"
              + (pen.map { penOptions.describe($0) } ?? ""))
        print("accuracy \(Format.percent(e.accuracy))   loss \(Format.fixed(e.loss, 4))   errors \(e.count - Int((e.accuracy * Double(e.count)).rounded()))   (\(Format.fixed(seconds, 2)) s)")
        for line in EvalVerdict.lines(verdicts) { print(line) }
        print("")
        print("confusion matrix (rows: true digit, columns: predicted)")
        // The digits only: no digit is ever read as a verdict model's "not a digit" output.
        let digits = e.scoredClasses
        print("      " + (0..<digits).map { Format.pad("\($0)", 6, right: true) }.joined())
        for (i, row) in e.confusion.prefix(digits).enumerated() {
            print(Format.pad("\(i)", 6, right: true) + row.prefix(digits).map { Format.pad("\($0)", 6, right: true) }.joined())
        }
        print("")
        print(Format.pad("", 14) + ["precision", "recall", "f1-score", "support"].map { Format.pad($0, 11, right: true) }.joined())
        func line(_ label: String, _ s: Evaluation.ClassScore) -> String {
            Format.pad(label, 14, right: true) + [s.precision, s.recall, s.f1].map { Format.pad(Format.fixed($0, 4), 11, right: true) }.joined()
                + Format.pad("\(s.support)", 11, right: true)
        }
        for (i, s) in e.perClass.enumerated() { print(line("\(i)", s)) }
        print("")
        print(line("macro avg", e.macroAverage))
        print(line("weighted avg", e.weightedAverage))
        if let pen { penOptions.printScores(pen, e) }
        for p in pictures { print("picture: \(Diagnostics.escaped(p))") }
    }
}
