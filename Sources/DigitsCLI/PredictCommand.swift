import ArgumentParser
import ConvNet
import DigitData
import Glibc

/// `digits predict IMAGE...`: the digit in each picture, normalised as MNIST was.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read the digit in PNG, JPEG or PGM pictures.",
        discussion: "Dark ink on light paper is inverted automatically; each picture is cropped to its ink, scaled to 20 px and centred by mass in 28×28, as MNIST was made.")

    @OptionGroup var weightsOptions: WeightsOptions
    @Flag(help: "Print one JSON object per picture.") var json = false
    @Argument(help: "Picture files.") var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("name at least one picture") }
    }

    func run() throws {
        let (net, file, path) = try weightsOptions.load()
        // Checked on load (WeightsFile); nil: the model gives no verdict.
        let notADigitClass = try WeightsMetadata.checkNotADigitClass(file.meta, classes: net.classes)
        guard net.inputShape == Shape(28, 28, 1) else {
            throw UserError("\(path): predict needs a 28×28 model; this one takes \(net.inputShape)", code: 2)
        }
        var prepared: [(file: String, prep: DigitPreparation.Prepared, width: Int, height: Int)] = []
        var failures = 0
        for file in images {
            do {
                let picture = try PictureInput.prepare(file)
                prepared.append((file, picture.prepared, picture.width, picture.height))
            } catch {
                _ = Diagnostics.report(error)
                failures += 1
            }
        }
        // All pictures in one batch through the network.
        let probs = net.predict(prepared.flatMap(\.prep.pixels), count: prepared.count)
        let k = net.classes
        for (i, item) in prepared.enumerated() {
            let p = Array(probs[(i * k)..<((i + 1) * k)])
            // Weights that pass the load check can still overflow on some picture: never print a NaN as a result.
            guard p.allSatisfy(\.isFinite) else { fputs("digits: \(item.file): \(path) gives non-finite class scores for it\n", stderr); failures += 1; continue }
            // The digit, its confidence and the top 3 are over the digit outputs only.
            let reading = DigitReading(p, notADigitClass: notADigitClass)
            let top = reading.ranked.prefix(3)
            if json {
                printJSON(.object([
                    ("file", .string(item.file)), ("digit", .int(reading.digit)), ("confidence", .num(Double(reading.confidence), 5)),
                    ("top3", .array(top.map { .object([("digit", .int($0)), ("probability", .num(Double(p[$0]), 5))]) })),
                    ("verdict", reading.verdict.map { .string($0.rawValue) } ?? .null),
                    ("not_a_digit", reading.notADigitProbability.map { .num(Double($0), 5) } ?? .null),
                    ("inverted", .bool(item.prep.inverted)), ("thickened", .bool(item.prep.thickened)),
                    ("width", .int(item.width)), ("height", .int(item.height)),
                ]))
            } else {
                var notes: [String] = []
                if item.prep.inverted { notes.append("inverted: dark ink on light paper") }
                if item.prep.thickened { notes.append("thin strokes thickened") }
                print("\(Diagnostics.escaped(item.file)): \(PredictText.said(reading))   top 3: "
                      + top.map { "\($0) \(Format.percent(Double(p[$0]), 1))" }.joined(separator: ", ")
                      + "   " + PredictText.verdict(reading)
                      + (notes.isEmpty ? "" : "   (\(notes.joined(separator: "; ")))"))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
