import Glibc

/// Something that hands out bytes in order: an open file, or bytes already in
/// memory (the fuzz targets and downloads). The streaming readers (gzip, IDX)
/// take either.
public protocol ByteSource: AnyObject {
    /// Copies up to `buffer.count` next bytes into `buffer`; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// The name used in messages.
    var path: String { get }
}

extension ByteSource {
    /// Reads until the source ends or `buffer` is full; the number of bytes placed.
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var got = 0
        while got < buffer.count {
            let r = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got...]))
            if r == 0 { break }
            got += r
        }
        return got
    }
}

/// A regular file opened for reading: the one way every reader of outside
/// files (weights, checkpoints, images, IDX, optdigits) opens them, so that
/// each gets the same checks before a byte is read.
///
/// It is opened with O_NONBLOCK because open(2) on a FIFO waits for a writer,
/// forever if none comes (`mkfifo f; digits predict --weights f …` used to
/// hang); the flag makes the open return at once, fstat then refuses anything
/// that is not a regular file (FIFO, directory, device, socket), and the flag
/// is cleared before reading.
public final class InputFile: ByteSource {
    public let path: String
    /// The size fstat reported when the file was opened, at most the limit.
    public let size: Int
    /// Bytes read so far.
    public private(set) var offset = 0
    private let fd: Int32

    public init(_ path: String, limit: Int) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            throw FileError(path, errno == ENOENT ? "no such file" : "cannot open: \(errnoText())")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let e = errnoText(); close(fd); throw FileError(path, "cannot read: \(e)") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { close(fd); throw FileError(path, "is not a regular file") }
        let size = Int(st.st_size)
        guard size <= limit else { close(fd); throw FileError(path, "is \(size) bytes, over the limit of \(limit)") }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            let e = errnoText(); close(fd); throw FileError(path, "cannot read: \(e)")
        }
        self.fd = fd
        self.size = size
    }

    deinit { close(fd) }

    /// Bytes left before the size the file had when opened.
    public var remaining: Int { size - offset }

    /// Reads up to `buffer.count` bytes, never past the size seen at open (a
    /// file that grows meanwhile cannot push a reader past its limit).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = min(buffer.count, remaining)
        guard want > 0, let base = buffer.baseAddress else { return 0 }
        while true {
            let r = Glibc.read(fd, base, want)
            if r < 0 {
                if errno == EINTR { continue }
                throw FileError(path, "cannot read: \(errnoText())")
            }
            offset += r
            return r
        }
    }

    /// Fills `buffer` completely, or throws: the file is shorter than fstat said.
    public func readExactly(into buffer: UnsafeMutableRawBufferPointer) throws {
        var got = 0
        while got < buffer.count {
            let r = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got...]))
            guard r > 0 else { throw FileError(path, "changed while being read") }
            got += r
        }
    }

    /// The next `count` bytes (the caller has checked `count` against `remaining`).
    public func readBytes(_ count: Int) throws -> [UInt8] {
        precondition(count <= remaining, "read past the checked size")
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try readExactly(into: $0) }
        return bytes
    }

    /// Everything from here to the size seen at open.
    public func readRest() throws -> [UInt8] { try readBytes(remaining) }
}

/// Bytes in memory as a `ByteSource`.
public final class MemoryBytes: ByteSource {
    public let path: String
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8], path: String) { self.bytes = bytes; self.path = path }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0, let base = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// Reads a whole regular file, refusing FIFOs, directories, devices and files
/// over `limit` bytes (see `InputFile`).
public func readFile(_ path: String, limit: Int) throws -> [UInt8] {
    try InputFile(path, limit: limit).readRest()
}
