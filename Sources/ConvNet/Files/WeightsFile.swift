/// A network's weights and what produced them, in one safetensors file.
///
/// Tensors: conv1.weight [out, in, kh, kw], conv1.bias [out], …, fc1.weight [out, in], …
/// (the names and layouts PyTorch's `safetensors.torch.save_file` would give the same
/// model, with Flatten in (c, h, w) order). `__metadata__` holds "spec", "name",
/// "dataset", "settings", "test_accuracy" and whatever else the caller adds.
/// A checkpoint adds the optimizer's state as "optimizer.<tensor>.<slot>" tensors
/// and its step, the generator and the history in the metadata.
public enum WeightsFile {
    public static func save(_ network: Network, metadata: [(String, String)], to path: String) throws {
        try Safetensors.write(sources(network), metadata: fullMetadata(network, metadata), to: path)
    }

    public static func encode(_ network: Network, metadata: [(String, String)]) -> Safetensors {
        let tensors = network.namedParameters.map { (name: $0.name, tensor: Safetensors.Tensor(shape: $0.parameter.shape, values: $0.parameter.exported())) }
        return Safetensors(tensors: tensors, metadata: fullMetadata(network, metadata))
    }

    static func fullMetadata(_ network: Network, _ metadata: [(String, String)]) -> [(String, String)] {
        var meta = [("format", "digits-weights-1"), ("spec", network.spec)]
        if let n = network.name { meta.append(("name", n)) }
        return meta + metadata.filter { k, _ in !["format", "spec", "name"].contains(k) }
    }

    /// The parameters as tensors to stream: plain ones straight from their
    /// buffers, convolution weights through one reordered copy each.
    static func sources(_ network: Network) -> [Safetensors.Source] {
        network.namedParameters.map { name, p in
            Safetensors.Source(name: name, shape: p.shape) { emit in
                if case .plain = p.layout {
                    try emit(UnsafeBufferPointer(start: p.value.pointer, count: p.count))
                } else {
                    try p.exported().withUnsafeBufferPointer { try emit($0) }
                }
            }
        }
    }

    /// Loads a weights file. The architecture comes from the file's "spec"
    /// metadata, or from `model` (a name or spec) for files without one, such as
    /// a PyTorch export. Every tensor must be there with its exact shape, finite.
    public static func load(_ path: String, model: String? = nil) throws -> (network: Network, file: Safetensors) {
        let file = try Safetensors.read(path)
        do {
            return (try network(from: file, model: model), file)
        } catch let e as SpecError {
            throw FileError(path, e.description)
        }
    }

    public static func network(from file: Safetensors, model: String? = nil) throws -> Network {
        if let asked = model, let own = file.meta("spec") {
            // `model` names the architecture of a file that does not; a file that
            // does is read as what it says, never silently as something else.
            func canonical(_ s: String) -> String? {
                (try? Spec.parse(Architectures.spec(for: s))).map { Spec.text(input: $0.input, layers: $0.layers) }
            }
            guard let a = canonical(asked), a == canonical(own) else {
                throw SpecError("its metadata names the architecture '\(Spec.shown(own))'; --model is only for files that name none (drop it)")
            }
        }
        guard let spec = model ?? file.meta("spec") else {
            throw SpecError("no architecture in its metadata; name one with --model")
        }
        // The spec is sized and its layers built without storage; the file's
        // tensors must match them before anything as large as the model is
        // allocated (a 150-byte file may name a model of any size).
        let input: Shape, layers: [Layer]
        do { (input, layers) = try Spec.parse(Architectures.spec(for: spec)) } catch let e as SpecError {
            throw SpecError("its architecture '\(Spec.shown(spec))' is invalid: \(e.description)")
        }
        let expected = Network.namedParameters(of: layers)
        let model = Architectures.name(forSpec: Spec.text(input: input, layers: layers)) ?? Spec.shown(spec)
        let names = Set(expected.map(\.name))
        let tensors = Dictionary(file.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        if let extra = file.tensors.first(where: { !names.contains($0.name) && !$0.name.hasPrefix("optimizer.") }) {
            throw SpecError("tensor '\(Spec.shown(extra.name))' does not belong to the architecture \(model)")
        }
        for (name, p) in expected {
            guard let t = tensors[name] else { throw SpecError("tensor '\(name)' is missing for the architecture \(model)") }
            guard t.shape == p.shape else { throw SpecError("tensor '\(name)' has shape \(t.shape), the architecture needs \(p.shape)") }
        }
        _ = try WeightsMetadata.checkNotADigitClass(file.meta, classes: layers.last?.outputShape.c ?? 0)
        let net = Network(input: input, layers: layers)
        for (name, p) in expected {
            let t = tensors[name]!
            if let i = t.values.firstIndex(where: { !$0.isFinite }) {
                throw SpecError("tensor '\(name)' holds a non-finite value (\(t.values[i])) at index \(i)")
            }
            p.load(exported: t.values)
        }
        try net.checkOutputsAreFinite()
        return net
    }
}

/// Saving and restoring everything a training run needs to continue exactly.
public enum Checkpoint {
    public static func save(_ trainer: Trainer, metadata: [(String, String)], to path: String) throws {
        var sources = WeightsFile.sources(trainer.network)
        let params = trainer.network.namedParameters
        for (i, (name, p)) in params.enumerated() where i < trainer.optimizer.slots.count {
            for (s, slot) in trainer.optimizer.slots[i].enumerated() {
                sources.append(Safetensors.Source(name: "optimizer.\(name).\(s)", shape: [p.count]) { emit in
                    try emit(UnsafeBufferPointer(start: slot.pointer, count: p.count))
                })
            }
        }
        if let average = trainer.average {
            for ((name, p), a) in zip(params, average.values) {
                sources.append(Safetensors.Source(name: "optimizer.\(name).average", shape: [p.count]) { emit in
                    try emit(UnsafeBufferPointer(start: a.pointer, count: p.count))
                })
            }
        }
        try Safetensors.write(sources, metadata: WeightsFile.fullMetadata(trainer.network, metadata + state(of: trainer)), to: path)
    }

    static func state(of t: Trainer) -> [(String, String)] {
        [("checkpoint_epoch", String(t.epochsDone)),
         ("optimizer", t.optimizer.kind.rawValue),
         ("optimizer_step", String(t.optimizer.step)),
         ("rng", t.rng.stateWords.map { String($0) }.joined(separator: " ")),
         ("history", HistoryCSV.text(t.history))]
    }

    /// More updates than any run could make (1,000,000 epochs of 60,000 single-image
    /// batches): a larger step is not from a real run.
    static let maximumOptimizerStep = 1 << 40

    /// Restores `trainer` (built with initialize: false on the checkpoint's network).
    public static func restore(_ trainer: Trainer, from file: Safetensors, path: String) throws {
        func bad(_ why: String) -> FileError { FileError(path, "not a resumable checkpoint: \(why)") }
        guard let words = file.meta("rng")?.split(separator: " ", omittingEmptySubsequences: false).map({ UInt64($0) }),
              words.count == 4, words.allSatisfy({ $0 != nil }) else {
            throw bad("no generator state")
        }
        // xoshiro's one invalid state: all zeros would draw zeros forever (and
        // hang a shuffle waiting for a number below n).
        guard words.contains(where: { $0 != 0 }) else { throw bad("the generator state is all zeros") }
        guard let step = file.meta("optimizer_step").flatMap({ Int($0) }) else { throw bad("no optimizer step") }
        guard step >= 0 && step <= maximumOptimizerStep else {
            throw bad("optimizer step \(step) is outside 0…\(maximumOptimizerStep)")
        }
        guard file.meta("optimizer") == trainer.optimizer.kind.rawValue else {
            throw bad("it was trained with \(file.meta("optimizer") ?? "?"), not \(trainer.optimizer.kind.rawValue)")
        }
        let history: [EpochRecord]
        do { history = try HistoryCSV.parse(file.meta("history") ?? "") } catch let e as SpecError { throw bad(e.description) }
        // Every epoch takes at least one step, and steps are only taken in epochs.
        guard history.isEmpty == (step == 0), step >= history.count else {
            throw bad("its history of \(history.count) epochs does not fit optimizer step \(step)")
        }
        let slotsPer = trainer.optimizer.kind == .sgd ? 1 : 2
        var slots: [[[Float]]] = []
        if step > 0 {
            for (name, _) in trainer.network.namedParameters {
                var s: [[Float]] = []
                for k in 0..<slotsPer {
                    guard let t = file["optimizer.\(name).\(k)"] else { throw bad("optimizer state for \(name) is missing") }
                    if let i = t.values.firstIndex(where: { !$0.isFinite }) {
                        throw bad("optimizer state 'optimizer.\(name).\(k)' holds a non-finite value (\(t.values[i])) at index \(i)")
                    }
                    s.append(t.values)
                }
                slots.append(s)
            }
        }
        do {
            try trainer.restore(rngState: words.map { $0! }, history: history, optimizerStep: step, slots: slots)
            // The weights' moving average (settings.averaging), kept beside the optimizer's state.
            if trainer.average != nil && step > 0 {
                var saved: [[Float]] = []
                for (name, _) in trainer.network.namedParameters {
                    guard let t = file["optimizer.\(name).average"] else { throw bad("the weight average of \(name) is missing") }
                    if let i = t.values.firstIndex(where: { !$0.isFinite }) {
                        throw bad("the weight average 'optimizer.\(name).average' holds a non-finite value (\(t.values[i])) at index \(i)")
                    }
                    saved.append(t.values)
                }
                try trainer.restoreAverage(saved)
            }
        } catch let e as SpecError { throw bad(e.description) }
    }
}

/// The per-epoch history as CSV: written next to the weights and kept in checkpoints.
public enum HistoryCSV {
    public static let header = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,images_per_second,learning_rate"

    public static func text(_ history: [EpochRecord]) -> String {
        var lines = [header]
        for r in history {
            func f(_ d: Double?) -> String { d.map { String($0) } ?? "" }
            lines.append("\(r.epoch),\(r.trainLoss),\(r.trainAccuracy),\(f(r.validationLoss)),\(f(r.validationAccuracy)),\(r.seconds),\(r.imagesPerSecond),\(r.learningRate)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func parse(_ text: String) throws -> [EpochRecord] {
        var out: [EpochRecord] = []
        for line in text.split(separator: "\n").dropFirst() where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 8, let e = Int(f[0]), let tl = Double(f[1]), let ta = Double(f[2]),
                  let s = Double(f[5]), let ips = Double(f[6]), let lr = Float(f[7]) else {
                throw SpecError("bad history line '\(line)'")
            }
            // The image count is derived from two numbers of the file: both must be sane.
            let images = (ips * s).rounded()
            guard s.isFinite, s >= 0, ips.isFinite, ips >= 0, images <= 1e12 else {
                throw SpecError("bad history line '\(line)'")
            }
            // A run records only finite losses and accuracies in 0…1 (a diverged
            // epoch is never saved), epochs numbered 1, 2, … in order; the
            // validation columns are empty when there was no validation.
            func optional(_ s: String) -> Double?? { s.isEmpty ? .some(nil) : Double(s).map { .some($0) } }
            guard e == out.count + 1, tl.isFinite, tl >= 0, ta >= 0, ta <= 1, lr.isFinite, lr > 0,
                  let vl = optional(f[3]), let va = optional(f[4]),
                  vl.map({ $0.isFinite && $0 >= 0 }) ?? true, va.map({ $0 >= 0 && $0 <= 1 }) ?? true else {
                throw SpecError("bad history line '\(line)'")
            }
            out.append(EpochRecord(epoch: e, trainLoss: tl, trainAccuracy: ta, validationLoss: vl,
                                   validationAccuracy: va, seconds: s, learningRate: lr,
                                   images: Int(images)))
        }
        return out
    }
}
