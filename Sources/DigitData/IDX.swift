import ConvNet

/// The IDX format of MNIST: big-endian magic 0x0000 08 NN (unsigned bytes, NN
/// dimensions), NN big-endian UInt32 sizes, then the bytes, row-major.
/// Read raw or gzip-compressed; every size is checked against the bytes present.
public struct IDXArray {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    public enum Limits {
        /// Largest file read, compressed or not (MNIST's largest is 47 MB raw).
        public static let fileBytes = 512 << 20
        /// Largest decompressed content.
        public static let contentBytes = 512 << 20
        public static let items = 10_000_000
    }

    public static func read(_ path: String) throws -> IDXArray {
        try decode(try readFile(path, limit: Limits.fileBytes), path: path)
    }

    /// Raw or gzip-compressed bytes of an IDX file.
    public static func decode(_ bytes: [UInt8], path: String) throws -> IDXArray {
        try parse(Gzip.isGzip(bytes) ? try Gzip.decompress(bytes, limit: Limits.contentBytes, path: path) : bytes, path: path)
    }

    public static func parse(_ bytes: [UInt8], path: String) throws -> IDXArray {
        func bad(_ why: String) -> FileError { FileError(path, "not an IDX file: \(why)") }
        guard bytes.count >= 4 else { throw bad("only \(bytes.count) bytes") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw bad("wrong magic 0x" + bytes[0..<4].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        }
        guard bytes[2] == 0x08 else { throw bad("element type 0x\(String(bytes[2], radix: 16)) is not unsigned bytes (0x08)") }
        let nd = Int(bytes[3])
        guard (1...4).contains(nd) else { throw bad("\(nd) dimensions (1 to 4 expected)") }
        let headerSize = 4 + 4 * nd
        guard bytes.count >= headerSize else { throw bad("truncated header") }
        var dims: [Int] = [], total = 1
        for d in 0..<nd {
            let o = 4 + 4 * d
            let v = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            dims.append(v)
            total = total.multipliedReportingOverflow(by: v).partialValue
            guard total <= Limits.contentBytes else { throw bad("dimensions \(dims) claim more than \(Limits.contentBytes) bytes") }
        }
        guard dims[0] <= Limits.items else { throw bad("\(dims[0]) items, over the limit of \(Limits.items)") }
        let have = bytes.count - headerSize
        guard have == total else {
            throw bad("dimensions \(dims.map(String.init).joined(separator: "×")) need \(total) bytes of data, the file has \(have)"
                      + (have < total ? " (truncated)" : " (trailing bytes)"))
        }
        return IDXArray(dimensions: dims, bytes: Array(bytes[headerSize...]))
    }
}

/// An MNIST-shaped data set: an idx3 image file and an idx1 label file.
public enum MNIST {
    public enum Split: String, CaseIterable { case train, test }

    public static func fileNames(_ split: Split) -> (images: String, labels: String) {
        split == .train ? ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
                        : ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    }

    /// The path of `name` in `dir`, compressed (.gz) or raw, whichever exists.
    static func locate(_ name: String, in dir: String) -> String? {
        for candidate in ["\(dir)/\(name).gz", "\(dir)/\(name)"] where isRegularFile(candidate) { return candidate }
        return nil
    }

    public static func hasFiles(in dir: String) -> Bool {
        Split.allCases.allSatisfy { s in locate(fileNames(s).images, in: dir) != nil && locate(fileNames(s).labels, in: dir) != nil }
    }

    /// Loads one split as floats in [0, 1] (pixel / 255), shape 28×28×1.
    public static func load(_ split: Split, from dir: String, limit: Int? = nil) throws -> LabeledImages {
        let names = fileNames(split)
        guard let ip = locate(names.images, in: dir) else { throw FileError("\(dir)/\(names.images).gz", "no such file") }
        guard let lp = locate(names.labels, in: dir) else { throw FileError("\(dir)/\(names.labels).gz", "no such file") }
        return try load(images: ip, labels: lp, limit: limit)
    }

    public static func load(images ip: String, labels lp: String, limit: Int? = nil) throws -> LabeledImages {
        let images = try IDXArray.read(ip), labels = try IDXArray.read(lp)
        guard images.dimensions.count == 3, images.dimensions[1] > 0, images.dimensions[2] > 0 else {
            throw FileError(ip, "not an image file: dimensions \(images.dimensions) (count × rows × columns expected)")
        }
        guard labels.dimensions.count == 1 else {
            throw FileError(lp, "not a label file: dimensions \(labels.dimensions) (one dimension expected)")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw FileError(lp, "has \(labels.dimensions[0]) labels for \(images.dimensions[0]) images in \(ip)")
        }
        if let i = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw FileError(lp, "label \(labels.bytes[i]) at index \(i) is not a digit 0–9")
        }
        let (h, w) = (images.dimensions[1], images.dimensions[2])
        let n = min(images.dimensions[0], limit ?? Int.max)
        let size = h * w
        var floats = [Float](repeating: 0, count: n * size)
        images.bytes.withUnsafeBufferPointer { src in
            for i in 0..<(n * size) { floats[i] = Float(src[i]) * (1 / 255) }
        }
        return LabeledImages(shape: Shape(h, w, 1), images: floats, labels: labels.bytes[0..<n].map { Int32($0) })
    }
}
