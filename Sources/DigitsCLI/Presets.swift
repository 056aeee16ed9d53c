import ArgumentParser
import ConvNet
import DigitData

/// The training settings each seed notebook used, so `--preset seedNNN` repeats
/// its experiment (any explicit option still wins).
struct Preset {
    var model: String
    var dataset: Dataset
    var epochs: Int
    var batchSize: Int
    var optimizer: OptimizerKind
    var learningRate: Float?
    var validationSplit: Double
    /// Pool the data set's train and test files and hold out this stratified
    /// fraction as the test set (the optdigits notebook's 80/20 split).
    var holdout: Double?

    static let all: [String: Preset] = [
        "seed000": Preset(model: "seed000", dataset: .mnist, epochs: 10, batchSize: 400, optimizer: .adam, learningRate: 0.01, validationSplit: 0.1),
        "seed001": Preset(model: "seed001", dataset: .mnist, epochs: 5, batchSize: 32, optimizer: .adam, learningRate: nil, validationSplit: 0.3),
        "seed002": Preset(model: "seed002", dataset: .optdigits, epochs: 100, batchSize: 128, optimizer: .adam, learningRate: 0.001, validationSplit: 0, holdout: 0.2),
        "seed003": Preset(model: "seed003", dataset: .mnist, epochs: 5, batchSize: 64, optimizer: .adam, learningRate: nil, validationSplit: 0),
        "seed004": Preset(model: "seed004", dataset: .mnist, epochs: 5, batchSize: 200, optimizer: .adadelta, learningRate: 1.0, validationSplit: 0),
    ]

    init(model: String, dataset: Dataset, epochs: Int, batchSize: Int, optimizer: OptimizerKind, learningRate: Float?,
         validationSplit: Double, holdout: Double? = nil) {
        self.model = model; self.dataset = dataset; self.epochs = epochs; self.batchSize = batchSize
        self.optimizer = optimizer; self.learningRate = learningRate; self.validationSplit = validationSplit; self.holdout = holdout
    }
}

/// `--preset NAME`: a name of `Preset.all` (--help lists them; ArgumentParser
/// refuses any other with the list).
struct PresetName: ExpressibleByArgument {
    let name: String
    let preset: Preset
    init?(argument: String) {
        guard let p = Preset.all[argument.lowercased()] else { return nil }
        name = argument.lowercased(); preset = p
    }
    static var allValueStrings: [String] { Preset.all.keys.sorted() }
    var defaultValueDescription: String { name }
}
