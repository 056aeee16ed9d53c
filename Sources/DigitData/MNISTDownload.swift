import ConvNet
import Foundation
import FoundationNetworking  // URLSession on Linux

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

    static func download(_ url: String, timeout: Double) throws -> [UInt8] {
        guard let u = URL(string: url) else { throw FileError(url, "not a valid URL") }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout * 10
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        final class Result: @unchecked Sendable { var data: Data?; var response: URLResponse?; var error: Error? }
        let result = Result()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: u) { d, r, e in result.data = d; result.response = r; result.error = e; done.signal() }.resume()
        done.wait()
        if let e = result.error {
            let ns = e as NSError
            let offline = [NSURLErrorNotConnectedToInternet, NSURLErrorCannotFindHost, NSURLErrorCannotConnectToHost,
                           NSURLErrorTimedOut, NSURLErrorNetworkConnectionLost, NSURLErrorDNSLookupFailed].contains(ns.code)
            throw FileError(url, offline ? "no network connection to \(u.host ?? url) (\(ns.localizedDescription))" : ns.localizedDescription)
        }
        if let http = result.response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw FileError(url, "the server answered HTTP \(http.statusCode)")
        }
        guard let data = result.data else { throw FileError(url, "no data received") }
        guard data.count <= IDXArray.Limits.fileBytes else { throw FileError(url, "more than \(IDXArray.Limits.fileBytes) bytes") }
        return [UInt8](data)
    }
}
