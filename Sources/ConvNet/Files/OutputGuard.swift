import Glibc

/// The one rule that a command's output never replaces what the same command
/// reads (its picture, its weights, the shipped model, a samples folder): an
/// atomic write would otherwise swap a good input for the output, whole and
/// silently (`maps --saliency` onto the weights it was given, say).
public enum OutputGuard {
    /// True when both name the same existing file (through links, hard links and "..").
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// True when `path` would be written into `directory` (the same directory by device and inode).
    public static func isInside(_ path: String, directory: String) -> Bool {
        let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return sameFile(parent.isEmpty ? "/" : parent, directory)
    }

    /// Refuses `out` when it is one of `inputs` (what it is, for the message; its path).
    public static func check(_ out: String, isNot inputs: [(what: String, path: String)]) throws {
        for (what, path) in inputs where sameFile(out, path) {
            throw FileError(out, "is \(what) this command reads; write the output elsewhere")
        }
    }
}
