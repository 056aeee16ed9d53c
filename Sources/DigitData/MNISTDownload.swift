import ConvNet
import Foundation

/// `digits fetch-mnist`: downloads the four MNIST files from a public mirror,
/// checks the SHA-256 of their decompressed content (mirrors recompress, the
/// content is what must match), and writes each file atomically.
public enum MNISTDownload {
    /// SHA-256 of the decompressed IDX files.
    public static let checksums: [String: String] = [
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ]

    public static let defaultMirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]

    public static var fileNames: [String] {
        MNIST.Split.allCases.flatMap { [MNIST.fileNames($0).images, MNIST.fileNames($0).labels] }
    }

    public enum Event { case skipped(String), downloading(String, from: String), saved(String, bytes: Int), mirrorFailed(String, String) }

    /// Fetches what is missing or wrong in `dir`. Throws one clear error when no
    /// mirror gives a file with the right content.
    public static func fetch(into dir: String, mirrors: [String] = defaultMirrors, timeout: Double = 60,
                             files: [String] = fileNames, report: (Event) -> Void = { _ in }) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in files {
            let target = "\(dir)/\(name).gz"
            if let existing = try? readFile(target, limit: IDXArray.Limits.fileBytes), verify(existing, name: name, path: target) == nil {
                report(.skipped(name))
                continue
            }
            var problems: [String] = []
            var done = false
            for mirror in mirrors {
                let url = mirror.hasSuffix("/") ? "\(mirror)\(name).gz" : "\(mirror)/\(name).gz"
                report(.downloading(name, from: url))
                do {
                    let bytes = try download(url, timeout: timeout)
                    if let problem = verify(bytes, name: name, path: url) { throw FileError(url, problem) }
                    try AtomicFile.write(bytes, to: target)
                    report(.saved(target, bytes: bytes.count))
                    done = true
                    break
                } catch {
                    problems.append("\(error)")
                    report(.mirrorFailed(url, "\(error)"))
                }
            }
            guard done else {
                throw FileError(target, "could not be fetched from any mirror (\(problems.joined(separator: "; "))); copy the MNIST files into \(dir) by hand, or pass --data DIR")
            }
        }
    }

    /// Nil when `bytes` (gzip or raw) decompress to the expected content, else why not.
    static func verify(_ bytes: [UInt8], name: String, path: String) -> String? {
        do {
            let content = Gzip.isGzip(bytes) ? try Gzip.decompress(bytes, limit: IDXArray.Limits.contentBytes, path: path) : bytes
            let digest = SHA256.hex(content)
            return digest == checksums[name] ? nil : "content has SHA-256 \(digest.prefix(16))…, expected \(checksums[name]!.prefix(16))…"
        } catch {
            return "\(error)"
        }
    }

    /// Limits on what a mirror may send, checked while it arrives.
    public enum Limits {
        /// The most bytes one downloaded file may have. The largest MNIST file,
        /// train-images-idx3-ubyte.gz, is 9,912,422 bytes, and 47,040,016
        /// uncompressed (a mirror may serve it so; `verify` accepts both):
        /// 64 MiB covers either, and a larger answer is refused at once.
        public static let fileBytes = 64 << 20
        /// The whole download of one file may take at most this many times the
        /// timeout (which bounds the silence between two pieces of data), so a
        /// server trickling a byte a second cannot hold the command forever.
        public static let wholeFileTimeouts = 10.0
    }

    /// An http:// or https:// URL with a host, or why `text` is not one.
    /// Mirrors come from the command line or the environment: anything else
    /// (a file:// path, ftp://, a bare host) is refused before any download.
    public static func mirrorProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty
        else { return "is not an http:// or https:// URL with a host (such as https://example.org/mnist/)" }
        return nil
    }

    /// The body at `url`, within `Limits`: `timeout` seconds at most without
    /// data, `Limits.wholeFileTimeouts` × `timeout` for the whole file.
    static func download(_ url: String, timeout: Double) throws -> [UInt8] {
        guard let u = URL(string: url) else { throw FileError(url, "not a valid URL") }
        return try BoundedDownload(url: u, maxBytes: Limits.fileBytes, idleSeconds: timeout,
                                   totalSeconds: timeout * Limits.wholeFileTimeouts,
                                   limitReason: "the most an MNIST file may be").run()
    }
}
