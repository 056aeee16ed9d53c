import ConvNet

extension SampleSet {
    /// One in `testOneIn` of each digit's samples (its 5th, 10th, …) is the test
    /// part when training on your samples (`--dataset mine`), so the split is
    /// stratified and stays put as samples are added.
    public static let testOneIn = 5

    /// The samples as a data set's parts. When a training part is needed, every
    /// `testOneIn`-th sample of each digit is the test part and the rest the
    /// training part; otherwise (`eval`: a model judged on your samples) every
    /// sample is the test part. Limits keep the first samples of each part.
    public func parts(trainLimit: Int? = nil, testLimit: Int? = nil, needTrain: Bool = true) -> (train: LabeledImages?, test: LabeledImages) {
        let all = labeledImages
        guard needTrain else { return (nil, all.prefix(testLimit ?? all.count)) }
        var seen = [Int](repeating: 0, count: 10), train: [Int] = [], test: [Int] = []
        for (i, s) in samples.enumerated() {
            seen[s.label] += 1
            if seen[s.label] % SampleSet.testOneIn == 0 { test.append(i) } else { train.append(i) }
        }
        return (all.subset(Array(train.prefix(trainLimit ?? train.count))), all.subset(Array(test.prefix(testLimit ?? test.count))))
    }
}
