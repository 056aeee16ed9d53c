import ConvNet

/// The IDX format of MNIST: big-endian magic 0x0000 08 NN (unsigned bytes, NN
/// dimensions), NN big-endian UInt32 sizes, then the bytes, row-major.
/// Read raw or gzip-compressed, as a stream: the header is checked before any
/// data is read, and only the items asked for are read and kept.
public struct IDXArray {
    /// The sizes the header declares (all items, even when fewer were read).
    public let dimensions: [Int]
    /// The bytes of the items read (all, or the first `maxItems`).
    public let bytes: [UInt8]

    public enum Limits {
        /// Largest file read, compressed or not (MNIST's largest is 47 MB raw).
        public static let fileBytes = 512 << 20
        /// Largest decompressed content.
        public static let contentBytes = 512 << 20
        public static let items = 10_000_000
    }

    /// Reads a file, keeping at most `maxItems` items. When fewer than all are
    /// kept, the rest of a gzip file is not decompressed (nor checked).
    public static func read(_ path: String, maxItems: Int? = nil) throws -> IDXArray {
        let file = try InputFile(path, limit: Limits.fileBytes)
        return try read(from: file, size: file.size, maxItems: maxItems)
    }

    /// Raw or gzip-compressed bytes of an IDX file.
    public static func decode(_ bytes: [UInt8], path: String, maxItems: Int? = nil) throws -> IDXArray {
        try read(from: MemoryBytes(bytes, path: path), size: bytes.count, maxItems: maxItems)
    }

    /// The same for bytes known to be raw IDX.
    public static func parse(_ bytes: [UInt8], path: String) throws -> IDXArray { try decode(bytes, path: path) }

    static func read(from source: ByteSource, size: Int, maxItems: Int?) throws -> IDXArray {
        let path = source.path
        func bad(_ why: String) -> FileError { FileError(path, "not an IDX file: \(why)") }
        func take(_ n: Int, from s: ByteSource) throws -> [UInt8] {
            var b = [UInt8](repeating: 0, count: n)
            let got = try b.withUnsafeMutableBytes { try s.fill($0) }
            return Array(b[0..<got])
        }
        let magic = try take(2, from: source)
        let gzip = Gzip.isGzip(magic)
        let content: ByteSource = gzip
            ? try GzipReader(source, prefix: magic, compressedSize: size, limit: Limits.contentBytes)
            : Prefixed(magic, source)

        let head = try take(4, from: content)
        guard head.count >= 4 else { throw bad("only \(head.count) bytes") }
        guard head[0] == 0, head[1] == 0 else {
            throw bad("wrong magic 0x" + head[0..<4].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        }
        guard head[2] == 0x08 else { throw bad("element type 0x\(String(head[2], radix: 16)) is not unsigned bytes (0x08)") }
        let nd = Int(head[3])
        guard (1...4).contains(nd) else { throw bad("\(nd) dimensions (1 to 4 expected)") }
        let headerSize = 4 + 4 * nd
        let sizes = try take(4 * nd, from: content)
        guard sizes.count == 4 * nd else { throw bad("truncated header") }
        var dims: [Int] = [], total = 1
        for d in 0..<nd {
            let o = 4 * d
            let v = Int(sizes[o]) << 24 | Int(sizes[o + 1]) << 16 | Int(sizes[o + 2]) << 8 | Int(sizes[o + 3])
            dims.append(v)
            total = total.multipliedReportingOverflow(by: v).partialValue
            guard total <= Limits.contentBytes else { throw bad("dimensions \(dims) claim more than \(Limits.contentBytes) bytes") }
        }
        guard dims[0] <= Limits.items else { throw bad("\(dims[0]) items, over the limit of \(Limits.items)") }
        // One item's size, checked on its own: with no items the total above is 0 whatever the other sizes.
        var itemBytes = 1
        for v in dims.dropFirst() {
            itemBytes = itemBytes.multipliedReportingOverflow(by: v).partialValue
            guard itemBytes <= Limits.contentBytes else { throw bad("dimensions \(dims) claim items of more than \(Limits.contentBytes) bytes") }
        }
        func mismatch(_ have: Int?) -> FileError {
            bad("dimensions \(dims.map(String.init).joined(separator: "×")) need \(total) bytes of data, the file has "
                + (have.map { "\($0)" + ($0 < total ? " (truncated)" : " (trailing bytes)") } ?? "more (trailing bytes)"))
        }
        // A raw file's size is known from the start.
        if !gzip, size - headerSize != total { throw mismatch(size - headerSize) }

        let kept = min(dims[0], max(0, maxItems ?? Int.max))
        let keptBytes = kept * itemBytes
        // A small gzip cannot hold what its header claims: refused before the memory is taken.
        if let g = content as? GzipReader, headerSize + keptBytes > g.maximumOutput { throw g.tooMuchOutput() }
        var data = [UInt8](repeating: 0, count: keptBytes)
        let got = try data.withUnsafeMutableBytes { try content.fill($0) }
        guard got == keptBytes else { throw gzip ? mismatch(got) : FileError(path, "changed while being read") }
        if gzip && kept == dims[0] {
            // All items read: the stream must end here, where its checksum is checked.
            var one: UInt8 = 0
            if try withUnsafeMutableBytes(of: &one, { try content.read(into: $0) }) > 0 { throw mismatch(nil) }
        }
        return IDXArray(dimensions: dims, bytes: data)
    }
}

/// Bytes already taken from a source, put back in front of it.
final class Prefixed: ByteSource {
    private var prefix: [UInt8]
    private let source: ByteSource
    var path: String { source.path }
    init(_ prefix: [UInt8], _ source: ByteSource) { self.prefix = prefix; self.source = source }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !prefix.isEmpty else { return try source.read(into: buffer) }
        let n = min(prefix.count, buffer.count)
        guard n > 0 else { return 0 }
        prefix.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
        prefix.removeFirst(n)
        return n
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

    /// Loads one split (pixel / 255 in [0, 1], shape 28×28×1); with `limit`,
    /// only the first `limit` images and labels are read.
    public static func load(_ split: Split, from dir: String, limit: Int? = nil) throws -> LabeledImages {
        let names = fileNames(split)
        guard let ip = locate(names.images, in: dir) else { throw FileError("\(dir)/\(names.images).gz", "no such file") }
        guard let lp = locate(names.labels, in: dir) else { throw FileError("\(dir)/\(names.labels).gz", "no such file") }
        return try load(images: ip, labels: lp, limit: limit)
    }

    public static func load(images ip: String, labels lp: String, limit: Int? = nil) throws -> LabeledImages {
        let images = try IDXArray.read(ip, maxItems: limit), labels = try IDXArray.read(lp, maxItems: limit)
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
        // Kept as bytes; a batch turns them into floats pixel / 255 (LabeledImages).
        return LabeledImages(shape: Shape(images.dimensions[1], images.dimensions[2], 1), bytes: images.bytes, scale: 1 / 255,
                             labels: labels.bytes.map { Int32($0) })
    }
}
