import ArgumentParser
import ConvNet
import DigitData

/// `digits maps IMAGE --out DIR`: the normalised input and every convolution
/// layer's feature maps for one picture, as PNG files.
struct MapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maps",
        abstract: "Draw each convolution layer's feature maps for a picture as PNG files.")

    @OptionGroup var weightsOptions: WeightsOptions
    @Option(help: "Directory for the PNG files (created if missing).") var out: String = "."
    @Option(help: ArgumentHelp("Also write which pixels pushed the answer up (red) or toward the runner-up (blue) as a PNG.",
                               valueName: "OUT.png")) var saliency: String?
    @Argument(help: "A PNG, JPEG or PGM picture of a digit.") var image: String

    func run() throws {
        let (net, weights, path) = try weightsOptions.load()
        let notADigitClass = try WeightsMetadata.checkNotADigitClass(weights.meta, classes: net.classes)
        guard net.inputShape == Shape(28, 28, 1) else { throw UserError("\(path): maps needs a 28×28 model", code: 2) }
        let prepared: DigitPreparation.Prepared
        do { prepared = try DigitPreparation.prepare(try ImageIO.read(image)) }
        catch let e as DigitPreparation.NoDigit { throw FileError(image, e.description) }
        // Before any work: the same checks as every output (never a device, a link, a directory…).
        // Nor over anything it reads: the picture, the weights, the shipped model.
        let inputs = Locations.shippedCandidates.map { ("the shipped model", $0) } + [("the picture", image), ("the weights file", path)]
        if let saliency {
            guard net.classes >= 2 else { throw UserError("\(path): --saliency needs a model with at least two outputs", code: 2) }
            try AtomicFile.checkWritable(saliency)
            try OutputGuard.check(saliency, isNot: inputs)
        }
        for name in ["input"] + net.featureMapNames { try OutputGuard.check("\(out)/\(name).png", isNot: inputs) }
        try AtomicFile.makeDirectory(out)
        let probs = net.predict(prepared.pixels, count: 1)   // also leaves every layer's output in place
        guard probs.allSatisfy(\.isFinite) else { throw FileError(image, "\(path) gives non-finite class scores for it") }
        // The digit as every command says it (never the "not a digit" output), and the verdict.
        let reading = DigitReading(probs, notADigitClass: notADigitClass)
        let top = reading.digit
        let said: String
        switch reading.verdict {
        case .notADigit?: said = "not a digit (\(Format.percent(Double(reading.notADigitProbability ?? 0), 1)))"
        case .unsure?: said = "unsure: \(reading.unsureWording)"
        default: said = "\(top) (\(Format.percent(Double(probs[top]), 1)))"
        }
        var written: [String] = []
        let input = Raster(width: 28 * 8 + 20, height: 28 * 8 + 44)
        input.centred("network sees: \(said)", input.width / 2, 8)
        input.image(prepared.pixels, width: 28, height: 28, at: 10, 30, scale: 8) { v in let g = UInt8(max(0, min(255, Int(v * 255)))); return RGB(g, g, g) }
        try input.writePNG(to: "\(out)/input.png")
        written.append("\(out)/input.png")
        for m in net.featureMaps() {
            let file = "\(out)/\(m.name).png"
            try Figures.featureMaps(m.values, height: m.height, width: m.width, channels: m.channels, title: "\(m.name): \(m.height)x\(m.width)x\(m.channels) for \(top)").writePNG(to: file)
            written.append(file)
        }
        if let saliency {
            guard let (_, e) = Evidence.of(net, input: prepared.pixels) else { throw UserError("\(path): --saliency needs a model with at least two outputs", code: 2) }
            guard e.values.allSatisfy(\.isFinite) else { throw FileError(image, "\(path) gives a non-finite gradient for it") }
            let name = { (c: Int) in c == notADigitClass ? "not a digit" : String(c) }
            try Figures.evidence(e, input: prepared.pixels, title: "why \(name(e.top)) (red) and not \(name(e.runnerUp)) (blue)").writePNG(to: saliency)
            written.append(saliency)
        }
        print("\(Diagnostics.escaped(image)): \(said)")
        for w in written { print("picture: \(Diagnostics.escaped(w))") }
    }
}
