import Glibc
import ConvNet

/// An flock(2) on the store's lock file, held for one read or one
/// read-modify-write: writers exclude each other and readers, so two app
/// windows (or an app and `digits samples add`) adding at once lose nothing,
/// and a reader never sees a half-appended line. Released when the value goes
/// away (close drops the lock, also when the process dies).
final class StoreLock {
    private let fd: Int32

    /// Exclusive: creates the lock file when missing. Shared: nil when there is
    /// no lock file and none can be made (a read-only folder: nobody writes there).
    init?(_ path: String, exclusive: Bool) throws {
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        if fd < 0 && !exclusive { fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) }
        guard fd >= 0 else {
            if !exclusive && (errno == EACCES || errno == EROFS || errno == ENOENT) { return nil }
            throw FileError(path, "cannot open the lock file: \(errnoText())")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FileError(path, "is not a regular file; the samples folder's lock must be one")
        }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { let e = errnoText(); close(fd); throw FileError(path, "cannot lock: \(e)") }
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
