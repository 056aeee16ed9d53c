import Foundation
import XCTest
import DigitData

/// `digits maps IMAGE --saliency OUT.png` on the real binary: the picture, and
/// the output checks every output gets, made before any work.
final class SaliencyTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        dir = try temporaryDirectory()
    }
    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    /// A 7, white on black like MNIST.
    func sevenPNG() throws -> String {
        var px = [UInt8](repeating: 0, count: 28 * 28)
        for x in 6..<22 { for t in 0..<2 { px[(5 + t) * 28 + x] = 255 } }
        for y in 7..<24 { for t in 0..<2 { px[y * 28 + 21 - (y - 7) / 2 + t] = 255 } }
        let path = dir + "/seven.png"
        try ImageIO.writePNG(px, width: 28, height: 28, channels: 1, to: path)
        return path
    }

    func testWritesTheEvidenceAsAPicture() throws {
        let out = dir + "/why.png"
        let r = try Binary.run(["maps", try sevenPNG(), "--out", dir + "/maps", "--saliency", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("picture: \(out)"), r.stdout)
        let img = try ImageIO.read(out)
        XCTAssertEqual(img.width, 28 * 10 + 20)
        // Coloured pixels are neither the white paper nor the black legend text: many distinct greys.
        XCTAssertGreaterThan(Set(img.pixels.map { Int($0 * 255) }).count, 20, "the evidence shows in several shades")
        // No temporary file is left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }, [])
    }

    /// Never over what it reads: the picture, the weights (it once turned the shipped
    /// weights into a PNG), by any path to them.
    func testNeverOverItsOwnInputs() throws {
        let png = try sevenPNG()
        let weights = dir + "/w.safetensors"
        try FileManager.default.copyItem(atPath: Binary.packageRoot + "/assets/digitnet.safetensors", toPath: weights)
        let before = FileManager.default.contents(atPath: weights)
        try FileManager.default.linkItem(atPath: weights, toPath: dir + "/hard.safetensors")
        for (out, what) in [(png, "the picture"), (weights, "the weights file"), (dir + "/hard.safetensors", "the weights file")] {
            let r = try Binary.run(["maps", png, "--weights", weights, "--out", dir + "/maps", "--saliency", out])
            XCTAssertEqual(r.status, 1, out)
            XCTAssertEqual(r.stderr, "digits: \(out): is \(what) this command reads; write the output elsewhere\n")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: weights), before)
        let shipped = Binary.packageRoot + "/assets/digitnet.safetensors"
        let s = try Binary.run(["maps", png, "--saliency", shipped])
        XCTAssertEqual(s.stderr, "digits: \(shipped): is the shipped model this command reads; write the output elsewhere\n")
    }

    func testRefusesOutputsThatAreNotFilesBeforeAnyWork() throws {
        let png = try sevenPNG()
        let sub = dir + "/sub"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.png", withDestinationPath: dir + "/target.png")
        for (target, message) in [(sub, "is a directory"), (dir + "/x/", "names a directory"), ("/dev/null", "is not a regular file"),
                                  (dir + "/link.png", "is a symbolic link"), (dir + "/missing/why.png", "does not exist")] {
            let maps = dir + "/maps-\(UUID().uuidString)"
            let r = try Binary.run(["maps", png, "--out", maps, "--saliency", target])
            XCTAssertEqual(r.status, 1, "\(target): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(target): one line: \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("digits: \(target)"), "\(target): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(target): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: maps), "\(target): nothing is written before the check")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/target.png"), "the link's target is not created")
    }

    func testReplacesAnExistingFileWhole() throws {
        let out = dir + "/why.png"
        FileManager.default.createFile(atPath: out, contents: Data("old".utf8), attributes: [.posixPermissions: 0o600])
        let r = try Binary.run(["maps", try sevenPNG(), "--out", dir + "/maps", "--saliency", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try ImageIO.read(out).width, 300)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int), 0o600, "the file keeps its mode")
    }
}
