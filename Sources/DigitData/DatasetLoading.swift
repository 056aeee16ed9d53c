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
            var train = needTrain ? try Optdigits.load("\(dir)/\(Optdigits.trainFile)") : nil
            var test = try Optdigits.load("\(dir)/\(Optdigits.testFile)")
            if let l = trainLimit { train = train?.prefix(l) }
            if let l = testLimit { test = test.prefix(l) }
            return (train, test)
        }
    }
}
