import ConvNet
import CZlib

/// A gzip (or zlib) stream decompressed as it is read, so a reader takes only
/// the bytes it needs and holds nothing else (a `--limit` stops it early).
///
/// Every member of a multi-member file (`cat a.gz b.gz`) is read, as gzip(1)
/// does. Output is refused past `limit` bytes, and past `Gzip.maximumRatio`
/// bytes per byte of compressed file (above `Gzip.ratioFloor`): a few hundred
/// KB of gzip that expand to hundreds of MB are a bomb, not a data set.
final class GzipReader: ByteSource {
    let path: String
    private let source: ByteSource
    private let limit: Int, compressedSize: Int
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let input: UnsafeMutableRawBufferPointer
    private var pending: [UInt8]
    private var produced = 0
    private var sourceEnded = false, finished = false

    /// `prefix`: bytes already taken from `source` (its magic number).
    init(_ source: ByteSource, prefix: [UInt8] = [], compressedSize: Int, limit: Int) throws {
        self.source = source
        self.path = source.path
        self.limit = limit
        self.compressedSize = compressedSize
        self.pending = prefix
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        stream.initialize(to: z_stream())
        // 15 + 32: accept a gzip or zlib header, with the largest window.
        guard inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate(); stream.deallocate()
            throw FileError(path, "zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Refills zlib's input when it is used up; false at the end of the file.
    private func refill() throws -> Bool {
        guard stream.pointee.avail_in == 0 else { return true }
        var n = 0
        if !pending.isEmpty {
            n = pending.count
            pending.withUnsafeBytes { input.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending = []
        } else if !sourceEnded {
            n = try source.read(into: input)
            if n == 0 { sourceEnded = true }
        }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(n)
        return n > 0
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0, let base = buffer.baseAddress else { return 0 }
        let room = UInt32(clamping: buffer.count)
        stream.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = room
        while stream.pointee.avail_out == room {
            let more = try refill()
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if !more && stream.pointee.avail_out == room { throw FileError(path, "gzip data is truncated") }
            case Z_STREAM_END:
                // Another member may follow; only the end of the file ends the data.
                if stream.pointee.avail_in == 0, !(try refill()) {
                    finished = true
                } else {
                    inflateReset(stream)
                }
            default:
                let why = stream.pointee.msg.map { String(cString: $0).escapedForMessage() } ?? "corrupt data"
                throw FileError(path, "gzip data is corrupt (\(why))")
            }
            if finished { break }
        }
        let n = Int(room - stream.pointee.avail_out)
        produced += n
        guard produced <= maximumOutput else { throw tooMuchOutput() }
        return n
    }

    /// The most this stream may decompress to: `limit`, or less for a small file.
    var maximumOutput: Int {
        min(limit, max(Gzip.ratioFloor, compressedSize.multipliedReportingOverflow(by: Gzip.maximumRatio).partialValue))
    }

    /// The refusal once output passes `maximumOutput` (a reader whose header
    /// claims more can give it before reading on).
    func tooMuchOutput() -> FileError {
        maximumOutput == limit
            ? FileError(path, "decompresses to more than \(limit) bytes, over the limit")
            : FileError(path, "decompresses to more than \(Gzip.maximumRatio) times its \(compressedSize) bytes: not a plausible data file")
    }
}

enum Gzip {
    /// MNIST's files expand 1.7 to 4.7 times and deflate's ceiling is about
    /// 1,032: more than this many bytes out per byte in is refused.
    static let maximumRatio = 100
    /// Below this much output the ratio is not checked (small files carry
    /// more header than data).
    static let ratioFloor = 16 << 20

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// Whole-buffer decompression (downloads are checked this way).
    static func decompress(_ input: [UInt8], limit: Int, path: String) throws -> [UInt8] {
        let reader = try GzipReader(MemoryBytes(input, path: path), compressedSize: input.count, limit: limit)
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }
}
