import XCTest
import ConvNet
@testable import DigitData

final class ReaderTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "digits-data-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func idx(_ dims: [Int], data: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = [0, 0, 8, UInt8(dims.count)]
        for d in dims { out += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return out + (data ?? [UInt8](repeating: 7, count: dims.reduce(1, *)))
    }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = dir + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let raw = write("tmp.raw", bytes)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-kf", raw]
        try p.run(); p.waitUntilExit()
        return Array(FileManager.default.contents(atPath: raw + ".gz")!)
    }

    func testReadsRawAndGzip() throws {
        let bytes = idx([3, 2, 2], data: Array(0..<12))
        let a = try IDXArray.read(write("a-idx3-ubyte", bytes))
        XCTAssertEqual(a.dimensions, [3, 2, 2])
        XCTAssertEqual(a.bytes, Array(0..<12))
        let b = try IDXArray.read(write("b.gz", try gzip(bytes)))
        XCTAssertEqual(b.bytes, a.bytes)
    }

    func testRejectsCorruptIDX() throws {
        let good = idx([2, 3, 3])
        let gz = try gzip(good)
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "only 0 bytes"),
            ("wrong magic", [1, 2, 3, 4] + good.dropFirst(4), "wrong magic 0x01020304"),
            ("wrong type", [0, 0, 0x0D, 3] + good.dropFirst(4), "not unsigned bytes"),
            ("zero dims", [0, 0, 8, 0], "0 dimensions"),
            ("truncated header", Array(good.prefix(9)), "truncated header"),
            ("truncated data", Array(good.dropLast(3)), "(truncated)"),
            ("trailing bytes", good + [1], "(trailing bytes)"),
            ("huge claim", idx([0xFFFF_FFF, 0xFFFF, 0xFFFF], data: []), "claim more than"),
            ("corrupt gzip", { var g = gz; g[g.count - 8] ^= 0xFF; return g }(), "corrupt (incorrect data check)"),
            ("truncated gzip", Array(gz.prefix(gz.count / 2)), "truncated"),
        ]
        for (name, bytes, expected) in cases {
            let path = write("case.idx", bytes)
            XCTAssertThrowsError(try IDXArray.read(path), name) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix(path), "\(name): '\(text)' should name the file")
                XCTAssertTrue(text.contains(expected), "\(name): '\(text)' does not mention '\(expected)'")
                XCTAssertFalse(text.contains("\n"), "one line")
            }
        }
    }

    func testMNISTPairChecks() throws {
        let images = write("i", idx([2, 2, 2]))
        let labels = write("l", idx([3], data: [1, 2, 3]))
        XCTAssertThrowsError(try MNIST.load(images: images, labels: labels)) { XCTAssertTrue("\($0)".contains("3 labels for 2 images")) }
        let badLabel = write("l2", idx([2], data: [1, 12]))
        XCTAssertThrowsError(try MNIST.load(images: images, labels: badLabel)) { XCTAssertTrue("\($0)".contains("label 12")) }
        let ok = try MNIST.load(images: write("i2", idx([2, 2, 2], data: [0, 255, 51, 0, 0, 0, 0, 255])), labels: write("l3", idx([2], data: [4, 9])))
        XCTAssertEqual(ok.shape, Shape(2, 2, 1))
        XCTAssertEqual(ok.labels, [4, 9])
        XCTAssertEqual(ok.image(0)[1], 1)
        XCTAssertEqual(ok.image(0)[2], 0.2, accuracy: 1e-6)
    }

    func testOptdigits() throws {
        let row = (0..<64).map { String($0 % 17) }.joined(separator: ",")
        let d = try Optdigits.parse(Array("\(row),3\r\n\(row),9\n".utf8), path: "x")
        XCTAssertEqual(d.count, 2)
        XCTAssertEqual(d.labels, [3, 9])
        XCTAssertEqual(d.image(0)[16], 16)
        XCTAssertEqual(d.shape, Shape(8, 8, 1))
        let cases: [(String, String)] = [
            ("\(row)\n", "64 values"), ("\(row),10\n", "class 10"), ("17," + row.dropFirst(2) + ",1\n", "pixel value 17"),
            ("\(row),a\n", "unexpected character"), ("", "no rows"), ("\(row),,1\n", "empty value"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try Optdigits.parse(Array(text.utf8), path: "f.tra")) {
                XCTAssertTrue("\($0)".contains(expected), "'\($0)' should mention '\(expected)'")
            }
        }
    }

    func testLocatorOrder() throws {
        let mnistDir = dir + "/mnist"
        try FileManager.default.createDirectory(atPath: mnistDir, withIntermediateDirectories: true)
        for s in MNIST.Split.allCases {
            _ = write("mnist/" + MNIST.fileNames(s).images + ".gz", [])
            _ = write("mnist/" + MNIST.fileNames(s).labels, [])
        }
        // A parent directory holding a mnist/ subdirectory is accepted, as is the directory itself.
        XCTAssertEqual(try DataLocator.directory(for: .mnist, option: dir), mnistDir)
        XCTAssertEqual(try DataLocator.directory(for: .mnist, option: mnistDir), mnistDir)
        XCTAssertThrowsError(try DataLocator.directory(for: .optdigits, option: dir)) { error in
            XCTAssertTrue("\(error)".contains("no optdigits data found (looked in \(self.dir!), \(self.dir!)/optdigits)"), "\(error)")
        }
    }

    /// Against the real files when they are present (CI points DIGITS_DATA at them).
    func testRealMNISTWhenAvailable() throws {
        guard let dir = try? DataLocator.directory(for: .mnist, option: nil) else {
            throw XCTSkip("MNIST not found; set DIGITS_DATA to run this test")
        }
        let test = try MNIST.load(.test, from: dir)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual(Array(test.labels.prefix(10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        XCTAssertEqual(try MNIST.load(.train, from: dir, limit: 10).labels, [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
    }

    func testAugmentationKeepsInkAndVaries() {
        var img = [Float](repeating: 0, count: 28 * 28)
        for y in 8..<20 { for x in 12..<16 { img[y * 28 + x] = 1 } }
        var rng = RNG(seed: 1)
        var outs: [[Float]] = []
        for _ in 0..<3 {
            var copy = img
            copy.withUnsafeMutableBufferPointer { Augmentation().apply($0.baseAddress!, shape: Shape(28, 28, 1), rng: &rng) }
            let ink = copy.reduce(0, +)
            XCTAssertEqual(ink, 48, accuracy: 48 * 0.3, "ink is roughly preserved")
            outs.append(copy)
        }
        XCTAssertNotEqual(outs[0], outs[1])
    }
}
