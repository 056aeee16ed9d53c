/// Examples in memory: `count` images of `shape` (NHWC floats, as the network
/// eats them) and their class labels.
public struct LabeledImages: Sendable {
    public var shape: Shape
    public var images: [Float]
    public var labels: [Int32]
    public var count: Int { labels.count }

    public init(shape: Shape, images: [Float], labels: [Int32]) {
        precondition(images.count == labels.count * shape.count, "images and labels disagree")
        self.shape = shape
        self.images = images
        self.labels = labels
    }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledImages {
        let size = shape.count
        var imgs = [Float](repeating: 0, count: indices.count * size)
        imgs.withUnsafeMutableBufferPointer { dst in
            images.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    (dst.baseAddress! + k * size).update(from: src.baseAddress! + i * size, count: size)
                }
            }
        }
        return LabeledImages(shape: shape, images: imgs, labels: indices.map { labels[$0] })
    }

    public func prefix(_ n: Int) -> LabeledImages { subset(Array(0..<min(n, count))) }

    /// Splits off the last `fraction` as validation, as Keras' `validation_split` does
    /// (before any shuffling, so the split is the same on every run).
    public func splitLast(_ fraction: Double) -> (train: LabeledImages, validation: LabeledImages?) {
        let v = Int((Double(count) * fraction).rounded(.down))
        guard fraction > 0, v > 0 else { return (self, nil) }
        return (subset(Array(0..<(count - v))), subset(Array((count - v)..<count)))
    }

    /// How many examples of each class 0..<classes.
    public func classCounts(_ classes: Int = 10) -> [Int] {
        var c = [Int](repeating: 0, count: classes)
        for l in labels where Int(l) < classes && l >= 0 { c[Int(l)] += 1 }
        return c
    }
}
