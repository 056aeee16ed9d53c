/// The safetensors format: 8-byte little-endian header length N, N bytes of JSON
/// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}},
/// then the raw little-endian tensor bytes. We read and write F32 tensors.
public struct Safetensors {
    public struct Tensor: Equatable {
        public var shape: [Int]
        public var values: [Float]
        public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
    }

    public var tensors: [(name: String, tensor: Tensor)] = []
    public var metadata: [(String, String)] = []

    /// Limits on what a file may claim, checked before anything is allocated.
    public enum Limits {
        public static let fileBytes = 1 << 30        // 1 GiB
        public static let headerBytes = 16 << 20     // 16 MiB
        public static let tensorCount = 10_000
        public static let dimensions = 8
    }

    public init(tensors: [(name: String, tensor: Tensor)] = [], metadata: [(String, String)] = []) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public subscript(name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }
    public func meta(_ key: String) -> String? { metadata.first { $0.0 == key }?.1 }

    // MARK: writing

    /// A tensor on its way to a file: its name, shape, and a function that hands
    /// its values in order to `emit`, in one or more pieces (straight from the
    /// engine's buffers, so that saving a checkpoint copies nothing).
    public struct Source {
        public var name: String
        public var shape: [Int]
        public var produce: (_ emit: (UnsafeBufferPointer<Float>) throws -> Void) throws -> Void
        public init(name: String, shape: [Int], produce: @escaping (_ emit: (UnsafeBufferPointer<Float>) throws -> Void) throws -> Void) {
            self.name = name; self.shape = shape; self.produce = produce
        }
        var count: Int { shape.reduce(1, *) }
    }

    /// The header: JSON padded with spaces so the data starts 8-byte aligned, as
    /// the reference writer does, after its 8-byte little-endian length.
    static func header(_ sources: [Source], metadata: [(String, String)]) -> [UInt8] {
        var header: [(String, JSON)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.map { ($0.0, .string($0.1)) })))
        }
        var offset = 0
        for t in sources {
            let bytes = t.count * 4
            header.append((t.name, .object([
                ("dtype", .string("F32")),
                ("shape", .array(t.shape.map { .number(Double($0)) })),
                ("data_offsets", .array([.number(Double(offset)), .number(Double(offset + bytes))])),
            ])))
            offset += bytes
        }
        var json = Array(JSON.object(header).text.utf8)
        while (json.count % 8) != 0 { json.append(0x20) }
        var n = UInt64(json.count).littleEndian
        return withUnsafeBytes(of: &n) { Array($0) } + json
    }

    /// Writes `sources` as a safetensors file, atomically, tensor by tensor.
    public static func write(_ sources: [Source], metadata: [(String, String)], to path: String) throws {
        let head = header(sources, metadata: metadata)
        try AtomicFile.write(to: path) { emit in
            try head.withUnsafeBytes { try emit($0) }
            for t in sources {
                var written = 0
                try t.produce { values in
                    written += values.count
                    try emitLittleEndian(values, emit)
                }
                precondition(written == t.count, "tensor \(t.name) produced \(written) values for shape \(t.shape)")
            }
        }
    }

    private static func emitLittleEndian(_ values: UnsafeBufferPointer<Float>, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        #if _endian(little)
        try emit(UnsafeRawBufferPointer(values))
        #else
        let swapped = values.map { $0.bitPattern.littleEndian }
        try swapped.withUnsafeBytes { try emit($0) }
        #endif
    }

    var sources: [Source] {
        tensors.map { name, t in
            Source(name: name, shape: t.shape) { emit in try t.values.withUnsafeBufferPointer { try emit($0) } }
        }
    }

    public func encode() -> [UInt8] {
        var out = Safetensors.header(sources, metadata: metadata)
        for (_, t) in tensors {
            t.values.withUnsafeBufferPointer { vb in
                for v in vb { var le = v.bitPattern.littleEndian; withUnsafeBytes(of: &le) { out.append(contentsOf: $0) } }
            }
        }
        return out
    }

    public func write(to path: String) throws { try Safetensors.write(sources, metadata: metadata, to: path) }

    // MARK: reading

    /// Reads a file in the order that lets each part be checked before the
    /// next is read: its size (fstat), the 8-byte header length, the header
    /// and its table of tensors, and only then the tensor bytes, straight into
    /// each tensor's values. A 1 GB file whose header is wrong is refused after
    /// reading 8 bytes.
    public static func read(_ path: String) throws -> Safetensors {
        let file = try InputFile(path, limit: Limits.fileBytes)
        do {
            guard file.size >= 8 else { throw invalid("only \(file.size) bytes, shorter than the 8-byte header length") }
            let n = try headerLength(try file.readBytes(8), fileSize: file.size)
            let table = try parseHeader(try file.readBytes(n), dataSize: file.size - 8 - n)
            var result = Safetensors(metadata: table.metadata)
            var values: [String: [Float]] = [:]
            // The table has checked that the tensors tile the data bytes in file order.
            for s in table.spans.sorted(by: { $0.begin < $1.begin }) {
                var v = [Float](repeating: 0, count: (s.end - s.begin) / 4)
                try v.withUnsafeMutableBytes { try file.readExactly(into: $0) }
                values[s.name] = fromLittleEndian(v)
            }
            for s in table.spans { result.tensors.append((s.name, Tensor(shape: s.shape, values: values[s.name]!))) }
            return result
        } catch let e as SpecError { throw FileError(path, e.description) }
    }

    /// Parses and validates a whole file in memory: every offset in range, tensors
    /// packed back to back without gaps or overlaps, sizes matching dtype × shape.
    public static func decode(_ bytes: [UInt8]) throws -> Safetensors {
        guard bytes.count >= 8 else { throw invalid("only \(bytes.count) bytes, shorter than the 8-byte header length") }
        let n = try headerLength(Array(bytes[0..<8]), fileSize: bytes.count)
        let headerEnd = 8 + n
        let table = try parseHeader(Array(bytes[8..<headerEnd]), dataSize: bytes.count - headerEnd)
        var result = Safetensors(metadata: table.metadata)
        for s in table.spans {
            var values = [Float](repeating: 0, count: (s.end - s.begin) / 4)
            values.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[(headerEnd + s.begin)..<(headerEnd + s.end)])) }
            }
            result.tensors.append((s.name, Tensor(shape: s.shape, values: fromLittleEndian(values))))
        }
        return result
    }

    static func invalid(_ why: String) -> SpecError { SpecError("not a valid safetensors file: \(why)") }

    /// Values whose bytes were copied from a (little-endian) file.
    private static func fromLittleEndian(_ values: [Float]) -> [Float] {
        #if _endian(little)
        return values
        #else
        return values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
    }

    /// The header length from the first 8 bytes, checked against the limit and the file's size.
    static func headerLength(_ first8: [UInt8], fileSize: Int) throws -> Int {
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(first8[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(Limits.headerBytes) else { throw invalid("header length \(n) is over the limit of \(Limits.headerBytes) bytes") }
        guard n >= 2, 8 + Int(n) <= fileSize else { throw invalid("header length \(n) does not fit in a file of \(fileSize) bytes") }
        return Int(n)
    }

    /// What a header says: the metadata, and each tensor's name, shape and
    /// byte range within the `dataSize` bytes that follow the header, in the
    /// header's order.
    struct Table {
        var metadata: [(String, String)] = []
        var spans: [(begin: Int, end: Int, name: String, shape: [Int])] = []
    }

    /// Checks everything a header claims before any tensor byte is read.
    static func parseHeader(_ header: [UInt8], dataSize: Int) throws -> Table {
        func bad(_ why: String) -> SpecError { invalid(why) }
        func quoted(_ name: String) -> String { "'" + name.escapedForMessage() + "'" }
        let json: JSON
        do { json = try JSON.parse(header) } catch { throw bad("header is \(error)") }
        guard let entries = json.object else { throw bad("header is not a JSON object") }
        guard entries.count <= Limits.tensorCount + 1 else { throw bad("more than \(Limits.tensorCount) tensors") }
        var table = Table()
        var names = Set<String>()
        for (name, info) in entries {
            guard names.insert(name).inserted else { throw bad("tensor \(quoted(name)) appears twice") }
            if name == "__metadata__" {
                guard let m = info.object else { throw bad("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v.string else { throw bad("metadata value \(quoted(k)) is not a string") }
                    table.metadata.append((k, s))
                }
                continue
            }
            guard let dtype = info["dtype"]?.string else { throw bad("tensor \(quoted(name)) has no dtype") }
            guard dtype == "F32" else { throw bad("tensor \(quoted(name)) is \(dtype.escapedForMessage()); only F32 is supported") }
            guard let dims = info["shape"]?.array, dims.count <= Limits.dimensions else {
                throw bad("tensor \(quoted(name)) has no shape, or more than \(Limits.dimensions) dimensions")
            }
            var shape: [Int] = [], elements = 1
            for d in dims {
                guard let v = d.number, v >= 0, v == v.rounded(), v <= Double(Limits.fileBytes) else {
                    throw bad("tensor \(quoted(name)) has a bad dimension")
                }
                shape.append(Int(v))
                let (p, overflow) = elements.multipliedReportingOverflow(by: Int(v))
                guard !overflow, p <= Limits.fileBytes / 4 else { throw bad("tensor \(quoted(name)) claims too many elements") }
                elements = p
            }
            guard let off = info["data_offsets"]?.array, off.count == 2,
                  let b = off[0].number, let e = off[1].number, b >= 0, e >= b, b == b.rounded(), e == e.rounded(),
                  e <= Double(dataSize) else {
                throw bad("tensor \(quoted(name)) has data offsets outside the file's \(dataSize) data bytes")
            }
            guard Int(e) - Int(b) == elements * 4 else {
                throw bad("tensor \(quoted(name)) has \(Int(e) - Int(b)) bytes for shape \(shape) of F32 (\(elements * 4) expected)")
            }
            table.spans.append((Int(b), Int(e), name, shape))
        }
        var expected = 0
        for s in table.spans.sorted(by: { $0.begin < $1.begin || ($0.begin == $1.begin && $0.end < $1.end) }) {
            guard s.begin == expected else { throw bad("tensor \(quoted(s.name)) overlaps another or leaves a gap before it") }
            expected = s.end
        }
        guard expected == dataSize else { throw bad("\(dataSize - expected) bytes after the last tensor belong to none") }
        return table
    }
}
