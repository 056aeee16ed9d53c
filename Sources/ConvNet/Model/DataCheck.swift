/// Where data meets a network. The layers' loops are compiled without bounds
/// checks (-Ounchecked), so what they index with is checked once, here, at the
/// boundary: an image of another size is read out of bounds, and a label at or
/// beyond the number of outputs indexes past a row of class scores (the loss
/// reads it, its gradient writes it). Every entry that hands data to `Trainer`
/// or `Evaluation` calls `check` first; they `precondition` it again, once per
/// run, so a new caller that forgets cannot go unnoticed in a debug build.
extension Network {
    /// Throws one line when `data` does not fit this network: `role` names the
    /// data in it ("training", "test", "fold 3 test", …).
    public func check(_ data: LabeledImages, role: String) throws {
        if let why = mismatch(data, role: role) { throw SpecError(why) }
    }

    /// What is wrong with `data` for this network, or nil.
    func mismatch(_ data: LabeledImages, role: String) -> String? {
        guard data.shape == inputShape else {
            func size(_ s: Shape) -> String { "\(s.h)×\(s.w)×\(s.c)" }
            return "the model takes \(size(inputShape)) images but the \(role) images are \(size(data.shape)); choose a model for this data set"
        }
        guard data.valueCount == data.count * inputShape.count else {
            return "the \(role) set holds \(data.valueCount) values for \(data.count) images of \(data.shape)"
        }
        let k = classes
        if let bad = data.labels.first(where: { $0 < 0 || Int($0) >= k }) {
            return "the \(role) set has label \(bad) but the model gives \(k) class scores (labels 0...\(k - 1)); choose a model for this data set"
        }
        return nil
    }

    /// Refuses weights whose class scores are not finite for a blank and for a
    /// full image (the two ends of the inputs' 0...1 range). Finite weights can
    /// still overflow: 3e38 everywhere makes every score infinite, and their
    /// "probabilities" NaN.
    func checkOutputsAreFinite() throws {
        let size = inputShape.count, k = classes
        var images = [Float](repeating: 0, count: 2 * size)
        for i in size..<(2 * size) { images[i] = 1 }
        var rng = RNG(seed: 0)
        let finite = images.withUnsafeBufferPointer { x in
            let z = forward(x.baseAddress!, batch: 2, training: false, rng: &rng)
            return UnsafeBufferPointer(start: z, count: 2 * k).allSatisfy(\.isFinite)
        }
        guard finite else {
            throw SpecError("its weights give non-finite class scores (infinite or NaN) for a blank or a full image: they are unusable")
        }
    }
}
