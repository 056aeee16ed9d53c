import DigitData
import Glibc

/// Paths as the save and load dialogs show and check them: relative names are
/// resolved against the working directory, which the dialogs name, so the user
/// sees where a file goes.
enum SavePath {
    static var currentDirectory: String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(cString: buf)
    }

    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let dir = currentDirectory
        return (dir.hasSuffix("/") ? dir : dir + "/") + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool { DigitData.isDirectory(path) }
}
