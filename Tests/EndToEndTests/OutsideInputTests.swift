import Foundation
import XCTest
import ConvNet
import DigitData

/// Issue 10 on the real binary: inputs made to hang it, to burn its CPU, to be
/// misread, or to drive the terminal that shows its messages.
final class OutsideInputTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        dir = try temporaryDirectory()
    }
    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    /// Runs the binary and kills it after `seconds`: a hang fails the test instead of stalling it.
    func run(_ args: [String], env: [String: String] = [:], within seconds: Double = 10,
             file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let r = try Binary.run(args, env: env, timeout: seconds)
        if r.timedOut { XCTFail("digits \(args.joined(separator: " ")) was still running after \(seconds) s", file: file, line: line) }
        return r
    }

    func assertOneLineError(_ r: Run, _ expected: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, "\(what): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n", omittingEmptySubsequences: false).count, 2, "\(what): one line: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(expected), "\(what): '\(r.stderr)' should contain '\(expected)'", file: file, line: line)
        XCTAssertFalse(r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(what): a control byte reached stderr", file: file, line: line)
    }

    func digitPNG() throws -> String {
        var px = [UInt8](repeating: 0, count: 28 * 28)
        for y in 4..<24 { for x in 13..<16 { px[y * 28 + x] = 255 } }
        let path = dir + "/one.png"
        try ImageIO.writePNG(px, width: 28, height: 28, channels: 1, to: path)
        return path
    }

    /// `mkfifo f; digits predict --weights f x.png` waited forever for a writer.
    func testAFIFOAsAnyInputIsRefusedAtOnce() throws {
        let fifo = dir + "/f"
        guard mkfifo(fifo, 0o600) == 0 else { throw XCTSkip("mkfifo failed") }
        let png = try digitPNG()
        let cases: [(String, [String], [String: String])] = [
            ("--weights", ["predict", "--weights", fifo, png], [:]),
            ("an image", ["predict", fifo], [:]),
            ("$DIGITS_WEIGHTS", ["predict", png], ["DIGITS_WEIGHTS": fifo]),
            ("eval --weights", ["eval", "--weights", fifo], [:]),
            ("summary --weights", ["summary", "--weights", fifo], [:]),
            ("train --resume", ["train", "--resume", fifo, "--out", dir + "/x.safetensors"], [:]),
            ("draw --weights", ["draw", "--weights", fifo], ["TERM": "xterm-256color"]),
        ]
        for (what, args, env) in cases {
            assertOneLineError(try run(args, env: env), "\(fifo): is not a regular file", what)
        }
        // A data set's file that is a FIFO is skipped, and named.
        let data = dir + "/data", pen = data + "/" + PenStrokes.digitsFile
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        guard mkfifo(pen, 0o600) == 0 else { throw XCTSkip("mkfifo failed") }
        assertOneLineError(try run(["eval", "--dataset", "unipen", "--data", data]), "; \(pen) is not a regular file)", "a data set's file")
    }

    /// A tensor name that sets the terminal's title and colour, and a control
    /// byte in optdigits, are printed escaped on one line.
    func testFileBytesReachTheTerminalEscaped() throws {
        let evil = "x\n\u{1B}]0;pwned\u{7}\u{1B}[31mred\u{0}cut"
        let weights = dir + "/evil.safetensors"
        try Safetensors(tensors: [(evil, .init(shape: [1], values: [1]))], metadata: [("spec", "in28x28x1-flatten-dense10")]).write(to: weights)
        assertOneLineError(try run(["predict", "--weights", weights, try digitPNG()]),
                           #"tensor 'x\n\e]0;pwned\x07\e[31mred\x00cut' does not belong"#, "tensor name")

        let row = (0..<64).map { _ in "0" }.joined(separator: ",")
        for name in [Optdigits.trainFile, Optdigits.testFile] {
            FileManager.default.createFile(atPath: "\(dir!)/\(name)", contents: Data("\(row),1\n\(row),\u{1B}]0;pwned\u{7}\n".utf8))
        }
        assertOneLineError(try run(["train", "--dataset", "optdigits", "--data", dir, "--epochs", "1", "--out", dir + "/o.safetensors"]),
                           #"line 2: unexpected character '\e'"#, "optdigits")
    }

    /// A cut JPEG was read confidently ("2, 88.1 %" for a 7); a JPEG of
    /// thousands of scans took minutes of CPU. Both are refused in one line.
    func testDamagedAndBombJPEGsAreRefused() throws {
        var px = [UInt8](repeating: 255, count: 112 * 112)
        for y in 16..<96 { for x in 48..<64 { px[y * 112 + x] = 0 } }
        let jpeg = try ImageIO.encodeJPEG(px, width: 112, height: 112, quality: 90)
        let cut = dir + "/cut.jpg"
        // Cut inside the picture's data, past its header and tables.
        FileManager.default.createFile(atPath: cut, contents: Data(jpeg.prefix(jpeg.count - 40)))
        assertOneLineError(try run(["predict", cut]), "cut.jpg: is a damaged JPEG (", "cut JPEG")

        let bomb = Binary.packageRoot + "/Tests/Fuzz/corpus/image/jpeg-101-scans.jpg"
        assertOneLineError(try run(["predict", bomb]), "is a progressive JPEG of more than 100 scans, over the limit", "scan bomb")
    }

    /// `cat a.gz b.gz` is a gzip file of two members; it was called truncated.
    func testAMultiMemberGzipDataSetIsRead() throws {
        func idx(_ dims: [Int], _ data: [UInt8]) -> [UInt8] {
            [0, 0, 8, UInt8(dims.count)] + dims.flatMap { d in [24, 16, 8, 0].map { UInt8(d >> $0 & 0xFF) } } + data
        }
        func gzipMembers(_ bytes: [UInt8], _ name: String) throws {
            var joined = Data()
            for (i, part) in [Array(bytes.prefix(bytes.count / 2)), Array(bytes.dropFirst(bytes.count / 2))].enumerated() {
                let raw = "\(dir!)/part\(i)"
                FileManager.default.createFile(atPath: raw, contents: Data(part))
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/gzip")
                p.arguments = ["-f", raw]
                try p.run(); p.waitUntilExit()
                joined += try Data(contentsOf: URL(fileURLWithPath: raw + ".gz"))
            }
            FileManager.default.createFile(atPath: "\(dir!)/\(name).gz", contents: joined)
        }
        let n = 20
        let images = idx([n, 28, 28], (0..<(n * 784)).map { UInt8(($0 % 28) * 9) })
        let labels = idx([n], (0..<n).map { UInt8($0 % 10) })
        for split in MNIST.Split.allCases {
            try gzipMembers(images, MNIST.fileNames(split).images)
            try gzipMembers(labels, MNIST.fileNames(split).labels)
        }
        let r = try run(["eval", "--data", dir, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Binary.json(r.stdout)["count"] as? Int, n)
    }
}
