import ArgumentParser
import ConvNet
import DigitData

/// The options that choose a data set, shared by train, eval and cv.
struct DataOptions: ParsableArguments {
    @Option(help: "The data set.")
    var dataset: Dataset?

    @Option(help: "The directory holding the data set's files.")
    var data: String?

    func resolvedDataset(default d: Dataset = .mnist) -> Dataset { dataset ?? d }
}

extension Dataset: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Network.Initializer: ExpressibleByArgument {}

/// Loads a data set's training and test parts from where `option` (or the
/// usual places) says it is.
func loadData(_ dataset: Dataset, option: String?, trainLimit: Int? = nil, testLimit: Int? = nil,
              needTrain: Bool = true) throws -> (train: LabeledImages?, test: LabeledImages, dir: String) {
    let dir = try DataLocator.directory(for: dataset, option: option)
    noteSampleProblems(dataset, in: dir)
    let loaded = try dataset.load(from: dir, trainLimit: trainLimit, testLimit: testLimit, needTrain: needTrain)
    return (loaded.train, loaded.test, dir)
}
