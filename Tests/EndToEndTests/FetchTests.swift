import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// `fetch-mnist` against a real HTTP server on 127.0.0.1 serving the shared data,
/// one mirror with a corrupted file, and an address where nothing listens.
final class FetchTests: XCTestCase {
    let labels = ["train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"]

    var server: Process?
    var root: String!

    override func setUpWithError() throws {
        guard let data = ProcessInfo.processInfo.environment["DIGITS_DATA"], MNIST.hasFiles(in: data + "/mnist") else {
            throw XCTSkip("set DIGITS_DATA to the shared data sets to test downloading")
        }
        root = NSTemporaryDirectory() + "digits-fetch-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/good", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/bad", withIntermediateDirectories: true)
        for name in MNISTDownload.fileNames {
            try fm.createSymbolicLink(atPath: "\(root!)/good/\(name).gz", withDestinationPath: "\(data)/mnist/\(name).gz")
            try fm.createSymbolicLink(atPath: "\(root!)/bad/\(name).gz", withDestinationPath: "\(data)/mnist/\(name).gz")
        }
        // The "bad" mirror serves a test-label file with one label changed: valid gzip, wrong content.
        try fm.removeItem(atPath: root + "/bad/t10k-labels-idx1-ubyte.gz")
        var labels = try IDXArray.read("\(data)/mnist/t10k-labels-idx1-ubyte.gz")
        var raw: [UInt8] = [0, 0, 8, 1, 0, 0, 0x27, 0x10] + labels.bytes
        raw[8] = (raw[8] + 1) % 10
        labels = try IDXArray.parse(raw, path: "x")
        FileManager.default.createFile(atPath: root + "/bad/t10k-labels-idx1-ubyte", contents: Data(raw))
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = [root + "/bad/t10k-labels-idx1-ubyte"]
        try gz.run(); gz.waitUntilExit()

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", root, String(port)]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        server = p
        // Wait until it answers.
        for _ in 0..<50 {
            if (try? MNISTDownload.download("http://127.0.0.1:\(port)/good/t10k-labels-idx1-ubyte.gz", timeout: 1)) != nil { return }
            usleep(100_000)
        }
        throw XCTSkip("the local HTTP server did not start")
    }

    override func tearDown() {
        server?.terminate()
        server?.waitUntilExit()
        if let r = root { try? FileManager.default.removeItem(atPath: r) }
    }

    let port = Int.random(in: 20_000...40_000)

    /// The whole command, all four files, through the release binary.
    func testFetchMNISTCommandFetchesVerifiesAndSkips() throws {
        let dest = root + "/dest"
        let r = try Binary.run(["fetch-mnist", "--dir", dest, "--mirror", "http://127.0.0.1:\(port)/good/"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("MNIST is ready in \(dest)"))
        XCTAssertEqual(r.stderr.components(separatedBy: "content verified").count - 1, 4, r.stderr)
        XCTAssertTrue(MNIST.hasFiles(in: dest))
        XCTAssertEqual(try MNIST.load(.test, from: dest).labels.prefix(3), [7, 2, 1])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dest).contains { $0.contains(".tmp-") })
        let again = try Binary.run(["fetch-mnist", "--dir", dest, "--mirror", "http://127.0.0.1:\(port)/good/"])
        XCTAssertEqual(again.stderr.components(separatedBy: "already present and verified").count - 1, 4, again.stderr)
        let offline = try Binary.run(["fetch-mnist", "--dir", root + "/offline", "--mirror", "http://127.0.0.1:9/", "--timeout", "3"],
                                     env: ["DIGITS_MNIST_MIRROR": "http://127.0.0.1:9/"])
        XCTAssertEqual(offline.status, 1)
        XCTAssertTrue(offline.stderr.contains("could not be fetched from any mirror"), offline.stderr)
    }

    func testCorruptMirrorIsRejectedAndTheNextOneUsed() throws {
        let dest = root + "/dest2"
        var failures: [String] = []
        try MNISTDownload.fetch(into: dest, mirrors: ["http://127.0.0.1:\(port)/bad/", "http://127.0.0.1:\(port)/good/"], files: labels) {
            if case let .mirrorFailed(url, why) = $0 { failures.append("\(url) \(why)") }
        }
        XCTAssertEqual(failures.count, 1, "\(failures)")
        XCTAssertTrue(failures[0].contains("t10k-labels") && failures[0].contains("SHA-256"), failures[0])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dest + "/t10k-labels-idx1-ubyte.gz"))
    }

    func testOnlyACorruptMirrorOrNoServerFailsClearly() throws {
        XCTAssertThrowsError(try MNISTDownload.fetch(into: root + "/dest3", mirrors: ["http://127.0.0.1:\(port)/bad/"], files: labels)) {
            XCTAssertTrue("\($0)".contains("could not be fetched from any mirror"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/dest3/t10k-labels-idx1-ubyte.gz"), "a bad file is never written")
        XCTAssertThrowsError(try MNISTDownload.fetch(into: root + "/dest4", mirrors: ["http://127.0.0.1:9/"], timeout: 3, files: labels)) {
            XCTAssertTrue("\($0)".contains("no network connection") || "\($0)".contains("onnect"), "\($0)")
        }
        XCTAssertThrowsError(try MNISTDownload.fetch(into: root + "/dest5", mirrors: ["http://127.0.0.1:\(port)/missing/"], files: labels)) {
            XCTAssertTrue("\($0)".contains("HTTP 404"), "\($0)")
        }
    }
}
