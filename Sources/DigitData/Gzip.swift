import ConvNet
import CZlib

/// Whole-buffer gzip decompression through zlib, refusing output past `limit`
/// bytes (a "zip bomb" stops at the limit instead of filling memory).
enum Gzip {
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    static func decompress(_ input: [UInt8], limit: Int, path: String) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: accept a gzip or zlib header, with the largest window.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FileError(path, "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return c.count - Int(stream.avail_out)
                }
                if status == Z_DATA_ERROR || status == Z_MEM_ERROR || status == Z_NEED_DICT || status == Z_STREAM_ERROR {
                    let why = stream.msg.map { String(cString: $0) } ?? "corrupt data"
                    throw FileError(path, "gzip data is corrupt (\(why))")
                }
                guard out.count + produced <= limit else {
                    throw FileError(path, "decompresses to more than \(limit) bytes, over the limit")
                }
                out.append(contentsOf: chunk[0..<produced])
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw FileError(path, "gzip data is truncated")
                }
            } while status != Z_STREAM_END
        }
        return out
    }
}
