import ConvNet

extension Dataset {
    /// Loads the data set's training and test parts from `dir`. For optdigits
    /// they are the official writer-independent files (optdigits.tra, .tes); for
    /// unipen the writers not held out and the held-out writers (`PenDigits`),
    /// drawn with `penBrushRadius`.
    public func load(from dir: String, trainLimit: Int? = nil, testLimit: Int? = nil,
                     needTrain: Bool = true, penBrushRadius: Float = PenDigits.defaultBrushRadius) throws -> (train: LabeledImages?, test: LabeledImages) {
        switch self {
        case .mnist:
            let train = needTrain ? try MNIST.load(.train, from: dir, limit: trainLimit) : nil
            return (train, try MNIST.load(.test, from: dir, limit: testLimit))
        case .optdigits:
            // The limits apply while reading: only the rows asked for are parsed.
            let train = needTrain ? try Optdigits.load("\(dir)/\(Optdigits.trainFile)", limit: trainLimit) : nil
            return (train, try Optdigits.load("\(dir)/\(Optdigits.testFile)", limit: testLimit))
        case .unipen:
            let parts = try PenDigits.loadSplit(from: dir, brushRadius: penBrushRadius, trainLimit: trainLimit,
                                                testLimit: testLimit, needTrain: needTrain)
            return (parts.train?.images, parts.test.images)
        case .letters:
            throw LettersAreNotDigits()
        case .mine:
            let set = try SampleStore(directory: dir).read()
            // A damaged folder's readable samples are used; none at all is nothing to measure.
            guard set.count > 0 else {
                throw FileError(dir, "holds no readable samples")
            }
            return set.parts(trainLimit: trainLimit, testLimit: testLimit, needTrain: needTrain)
        }
    }
}
