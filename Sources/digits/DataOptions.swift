import ArgumentParser
import ConvNet
import DigitData

/// The options that choose a data set, shared by train, eval and cv.
struct DataOptions: ParsableArguments {
    @Option(help: "The data set: mnist or optdigits.")
    var dataset: String?

    @Option(help: "The directory holding the data set's files.")
    var data: String?

    func resolvedDataset(default d: Dataset = .mnist) throws -> Dataset {
        guard let name = dataset else { return d }
        guard let ds = Dataset(rawValue: name.lowercased()) else {
            throw UserError("unknown data set '\(name)' (known: mnist, optdigits)", code: 2)
        }
        return ds
    }
}

/// Loads a data set's training and test parts. For optdigits they are the
/// official writer-independent files (optdigits.tra, optdigits.tes).
func loadData(_ dataset: Dataset, option: String?, trainLimit: Int? = nil, testLimit: Int? = nil,
              needTrain: Bool = true) throws -> (train: LabeledImages?, test: LabeledImages, dir: String) {
    let dir = try DataLocator.directory(for: dataset, option: option)
    switch dataset {
    case .mnist:
        let train = needTrain ? try MNIST.load(.train, from: dir, limit: trainLimit) : nil
        return (train, try MNIST.load(.test, from: dir, limit: testLimit), dir)
    case .optdigits:
        let train = needTrain ? try Optdigits.load("\(dir)/\(Optdigits.trainFile)", limit: trainLimit) : nil
        return (train, try Optdigits.load("\(dir)/\(Optdigits.testFile)", limit: testLimit), dir)
    }
}
