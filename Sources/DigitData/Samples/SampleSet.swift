import ConvNet

/// What the store holds: the good samples, in the order saved, and one line on
/// what was wrong with the folder (nil when nothing was).
public struct SampleSet: Sendable {
    public let directory: String
    public let samples: [Sample]
    public let problem: String?

    public init(directory: String, samples: [Sample], problem: String?) {
        self.directory = directory; self.samples = samples; self.problem = problem
    }

    public var count: Int { samples.count }

    /// How many samples of each digit 0–9.
    public var counts: [Int] {
        var c = [Int](repeating: 0, count: 10)
        for s in samples { c[s.label] += 1 }
        return c
    }

    /// The samples as a data set (bytes / 255, 28×28×1), in order.
    public var labeledImages: LabeledImages {
        LabeledImages(shape: Shape(Sample.side, Sample.side, 1), bytes: samples.flatMap(\.image), scale: 1 / 255,
                      labels: samples.map { Int32($0.label) })
    }
}
