import ConvNet
import DigitData
import DigitsCLI

// The targets for values that are not file formats but still come from
// outside: a checkpoint's settings (what a resume reads) and the command line.

/// "checkpoint-settings": the input is a checkpoint's metadata, one
/// `key<TAB>value` per line. It goes through the decoder and validator a resume
/// uses, then into what a run sizes from it (the validation split, the
/// trainer's buffers, the generator, one epoch on 16 tiny images).
func exerciseCheckpointSettings(_ bytes: [UInt8]) {
    var meta: [(String, String)] = []
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
        let parts = line.split(separator: UInt8(ascii: "\t"), maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { continue }
        meta.append((String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self)))
    }
    let file = Safetensors(tensors: [], metadata: meta)
    guard let m = try? WeightsMetadata(file, path: "fuzz"), var settings = m.settings else { return }
    // Everything below trusts the checks above; only the epoch count is cut to
    // one (1,000,000 valid epochs are a long run, not a hang).
    settings.epochs = 1
    guard let net = try? Network(spec: "in4x4x1-flatten-dense3") else { return }
    var rng = RNG(seed: 3)
    let count = 16
    let data = LabeledImages(shape: net.inputShape, images: (0..<(count * 16)).map { _ in rng.uniform() },
                             labels: (0..<count).map { Int32($0 % 3) })
    let (train, validation) = data.splitLast(settings.validationSplit)
    let trainer = Trainer(network: net, settings: settings)
    var state = Safetensors(tensors: [], metadata: meta)
    state.metadata.removeAll { $0.0 == "history" && $0.1.utf8.count > 4096 }
    guard (try? Checkpoint.restore(trainer, from: state, path: "fuzz")) != nil else { return }
    guard train.count > 0 else { return }
    _ = trainer.run(train: train, validation: validation)
}

/// "cli-options": the input is an argument vector, NUL-separated. It is parsed
/// and validated by the real commands (never run).
func exerciseCommandLine(_ bytes: [UInt8]) {
    let args = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    _ = CommandLineCheck.parseAndValidate(Array(args.prefix(64)))
}
