import ConvNet

/// What a run mixes into its stored training images (TrainingSettings.penDigits,
/// .negatives): pen digits of the training writers and "not a digit" drawings,
/// each drawn afresh every epoch (`PenMix`), and the rules for when it may.
public enum TrainingMix {
    /// The shape the mixed drawings have: the app's canvas, prepared as MNIST.
    public static let shape = Shape(MNISTNormalizer.size, MNISTNormalizer.size, 1)

    /// The "not a digit" output a run with negatives teaches (the last one: label
    /// 10 of 11 outputs). A model without that 11th output is refused: its labels
    /// stop at 9. Without negatives, an 11-output model (digitnet retrained on MNIST
    /// alone, in the app or by `digits train`) still declares its 11th output, so
    /// that it is never read as a digit "10"; untaught, it seldom says "not a digit".
    public static func notADigitClass(_ s: TrainingSettings, network: Network) throws -> Int? {
        guard s.negatives > 0 else { return network.classes == 11 ? 10 : nil }
        guard network.classes == 11 else {
            throw TrainingDataError("--negatives needs a model whose 11th output (the last) means \"not a digit\", e.g. one whose spec ends dense11-softmax; \(network.name ?? "this model") has \(network.classes) outputs")
        }
        return 10
    }

    /// The drawn examples for a run, nil when it mixes none.
    static func source(_ s: TrainingSettings, network: Network, dataOption: String?) throws -> ExampleSource? {
        guard s.penDigits > 0 || s.negatives > 0 else { return nil }
        guard network.inputShape == shape else {
            throw TrainingDataError("--pen-digits and --negatives draw 28×28 pictures as the app does; \(network.name ?? "this model") reads \(network.inputShape.h)×\(network.inputShape.w)×\(network.inputShape.c)")
        }
        return try PenMix(settings: s, dataOption: dataOption)
    }
}
