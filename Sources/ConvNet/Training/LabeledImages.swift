/// Examples in memory: `count` images of `shape` (NHWC) and their class labels.
///
/// The images stay in the form they were read in, and become the floats the
/// network eats only when a batch is assembled (`gather`): a data set of bytes
/// (MNIST's IDX files, optdigits' 0…16) is kept as one byte a value with a
/// `scale` (value = byte × scale), a quarter of the memory of floats. Computed
/// images (noise for benchmarks, tests) are kept as floats.
public struct LabeledImages: Sendable {
    public enum Pixels: Sendable {
        case bytes([UInt8], scale: Float)
        case floats([Float])
    }

    public var shape: Shape
    public private(set) var pixels: Pixels
    public var labels: [Int32]
    public var count: Int { labels.count }

    public init(shape: Shape, images: [Float], labels: [Int32]) {
        precondition(images.count == labels.count * shape.count, "images and labels disagree")
        self.shape = shape
        self.pixels = .floats(images)
        self.labels = labels
    }

    public init(shape: Shape, bytes: [UInt8], scale: Float, labels: [Int32]) {
        precondition(bytes.count == labels.count * shape.count, "images and labels disagree")
        self.shape = shape
        self.pixels = .bytes(bytes, scale: scale)
        self.labels = labels
    }

    /// Writes the images at `indices`, in that order, as floats at `dst`
    /// (`indices.count × shape.count` of them).
    public func gather<C: Collection>(_ indices: C, into dst: UnsafeMutablePointer<Float>) where C.Element == Int {
        let size = shape.count
        switch pixels {
        case .floats(let f):
            f.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() { (dst + k * size).update(from: src.baseAddress! + i * size, count: size) }
            }
        case .bytes(let b, let scale):
            b.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    let from = src.baseAddress! + i * size, to = dst + k * size
                    for j in 0..<size { to[j] = Float(from[j]) * scale }
                }
            }
        }
    }

    /// Image `i` as floats.
    public func image(_ i: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: shape.count) { buf, n in
            gather(CollectionOfOne(i), into: buf.baseAddress!)
            n = shape.count
        }
    }

    /// Every image as floats, one after the other: a copy four times the size
    /// of a byte data set, for tests and small sets only.
    public func floatImages() -> [Float] {
        [Float](unsafeUninitializedCapacity: count * shape.count) { buf, n in
            if count > 0 { gather(0..<count, into: buf.baseAddress!) }
            n = count * shape.count
        }
    }

    /// How many pixel values are stored (`count × shape.count` when consistent).
    public var valueCount: Int {
        switch pixels {
        case .floats(let f): return f.count
        case .bytes(let b, _): return b.count
        }
    }

    /// The largest pixel value (0 for no images).
    public var maxValue: Float {
        switch pixels {
        case .floats(let f): return f.max() ?? 0
        case .bytes(let b, let scale): return Float(b.max() ?? 0) * scale
        }
    }

    /// The examples at `indices`, in that order, in the same form.
    public func subset(_ indices: [Int]) -> LabeledImages {
        let size = shape.count
        let labels = indices.map { self.labels[$0] }
        switch pixels {
        case .floats:
            return LabeledImages(shape: shape, images: [Float](unsafeUninitializedCapacity: indices.count * size) { buf, n in
                if !indices.isEmpty { gather(indices, into: buf.baseAddress!) }
                n = indices.count * size
            }, labels: labels)
        case .bytes(let b, let scale):
            var out = [UInt8](repeating: 0, count: indices.count * size)
            out.withUnsafeMutableBufferPointer { dst in
                b.withUnsafeBufferPointer { src in
                    for (k, i) in indices.enumerated() {
                        (dst.baseAddress! + k * size).update(from: src.baseAddress! + i * size, count: size)
                    }
                }
            }
            return LabeledImages(shape: shape, bytes: out, scale: scale, labels: labels)
        }
    }

    public func prefix(_ n: Int) -> LabeledImages { subset(Array(0..<min(n, count))) }

    /// These examples followed by `other`'s (same shape): bytes if both are
    /// bytes of the same scale, else floats.
    public func appending(_ other: LabeledImages) -> LabeledImages {
        precondition(shape == other.shape, "shapes differ")
        if case .bytes(let a, let sa) = pixels, case .bytes(let b, let sb) = other.pixels, sa == sb {
            return LabeledImages(shape: shape, bytes: a + b, scale: sa, labels: labels + other.labels)
        }
        return LabeledImages(shape: shape, images: floatImages() + other.floatImages(), labels: labels + other.labels)
    }

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
