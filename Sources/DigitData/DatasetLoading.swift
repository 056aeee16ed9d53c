import ConvNet

extension Dataset {
    /// Loads the data set's training and test parts from `dir`. For optdigits
    /// they are the official writer-independent files (optdigits.tra, .tes).
    public func load(from dir: String, trainLimit: Int? = nil, testLimit: Int? = nil,
                     needTrain: Bool = true) throws -> (train: LabeledImages?, test: LabeledImages) {
        switch self {
        case .mnist:
            let train = needTrain ? try MNIST.load(.train, from: dir, limit: trainLimit) : nil
            return (train, try MNIST.load(.test, from: dir, limit: testLimit))
        case .optdigits:
            // The limits apply while reading: only the rows asked for are parsed.
            let train = needTrain ? try Optdigits.load("\(dir)/\(Optdigits.trainFile)", limit: trainLimit) : nil
            return (train, try Optdigits.load("\(dir)/\(Optdigits.testFile)", limit: testLimit))
        case .mine:
            return try SampleStore(directory: dir).read().parts(trainLimit: trainLimit, testLimit: testLimit, needTrain: needTrain)
        }
    }
}
