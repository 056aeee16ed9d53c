import Glibc

/// A file problem, said in one line that names the file.
public struct FileError: Error, CustomStringConvertible {
    public let path: String, message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// Writes files so that a reader (or a crash) only ever sees the old complete
/// file or the new complete file: temporary file in the same directory, fsync,
/// rename over the target, fsync of the directory.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { emit in try bytes.withUnsafeBytes { try emit($0) } }
    }

    /// The same for content made piece by piece: `produce` hands each piece to
    /// `emit`, so a large file never has to exist whole in memory.
    public static func write(to path: String, _ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let existing = try checkWritable(path)
        let dir = directory(of: path)
        removeStaleTemporaries(of: path, in: dir)
        let tmp = "\(dir)/.\(basename(path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path, "cannot write: \(createFailure(in: dir))") }
        if let old = existing {
            // The new file takes the place of the old one: its permissions (a 0600
            // file stays private) and, where allowed, its owner.
            _ = fchown(fd, old.st_uid, old.st_gid)
            if fchmod(fd, old.st_mode & 0o7777) != 0 { close(fd); unlink(tmp); throw FileError(path, "cannot write: \(errnoText())") }
        }
        var ok = false, closed = false
        defer {
            if !closed { close(fd) }
            if !ok { unlink(tmp) }
        }
        try produce { raw in
            var written = 0
            while written < raw.count {
                let r = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if r < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path, "cannot write: \(errnoText())")
                }
                written += r
            }
        }
        if fsync(fd) != 0 { throw FileError(path, "cannot write: \(errnoText())") }
        closed = true
        if close(fd) != 0 { throw FileError(path, "cannot write: \(errnoText())") }
        if rename(tmp, path) != 0 { throw FileError(path, "cannot write: \(errnoText())") }
        ok = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Checks, before any long work, that `write(to: path)` can succeed: the path
    /// names a file (no trailing "/"), in a directory that exists and is
    /// writable, and whatever is there now is a regular file — never a device,
    /// a pipe, a socket, a symbolic link or a directory, which a rename would
    /// replace (`--out /dev/null` as root would replace the device for everyone).
    /// Returns the existing file's status, nil when there is none.
    @discardableResult
    public static func checkWritable(_ path: String) throws -> stat? {
        guard !path.isEmpty else { throw FileError(path, "an empty path names no file") }
        guard !path.hasSuffix("/") else { throw FileError(path, "names a directory; give a file name") }
        var st = stat()
        if lstat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw FileError(path, "is a directory; give a file name")
            case S_IFLNK: throw FileError(path, "is a symbolic link; refusing to replace it (name the file it points to)")
            default: throw FileError(path, "is not a regular file (a device, pipe or socket); refusing to replace it")
            }
        } else if errno != ENOENT {
            throw FileError(path, "cannot write: \(errnoText())")
        }
        let dir = directory(of: path)
        var ds = stat()
        guard stat(dir, &ds) == 0 else {
            throw FileError(path, errno == ENOENT ? "cannot write: its directory \(dir) does not exist" : "cannot write in \(dir): \(errnoText())")
        }
        guard (ds.st_mode & S_IFMT) == S_IFDIR else { throw FileError(path, "\(dir) is not a directory") }
        guard access(dir, W_OK) == 0 else { throw FileError(path, "cannot write in \(dir): \(errnoText())") }
        return (st.st_mode & S_IFMT) == S_IFREG ? st : nil
    }

    /// Creates `path` and its missing parents (as `mkdir -p`), then checks it can
    /// be written in. One plain error line for each way it can fail.
    public static func makeDirectory(_ path: String) throws {
        guard !path.isEmpty else { throw FileError(path, "an empty path names no directory") }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            var st = stat()
            if stat(prefix, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw FileError(path, prefix == path || prefix == path.dropLast() ? "is not a directory" : "\(prefix) is not a directory")
                }
                continue
            }
            guard errno == ENOENT else { throw FileError(path, "cannot create: \(errnoText())") }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw FileError(path, "cannot create: \(errnoText())") }
        }
        guard access(path, W_OK) == 0 else { throw FileError(path, "cannot write in it: \(errnoText())") }
    }

    /// Temporary files left by writers that were killed mid-save (their process is gone).
    static func removeStaleTemporaries(of path: String, in dir: String) {
        let prefix = ".\(basename(path)).tmp-"
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink("\(dir)/\(name)") }
        }
    }

    /// Why a new file cannot be made in `dir`, from errno after open(2). "No such
    /// file or directory" is said only when the directory is missing: /proc and
    /// /sys give ENOENT for a new name in a directory that exists.
    static func createFailure(in dir: String) -> String {
        let code = errno
        guard code == ENOENT else { return String(cString: strerror(code)) }
        var st = stat()
        guard stat(dir, &st) == 0 else { return "the directory \(dir) does not exist" }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return "\(dir) is not a directory" }
        return "no new file can be made in \(dir): its file system refuses them"
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

public func errnoText() -> String { String(cString: strerror(errno)) }
