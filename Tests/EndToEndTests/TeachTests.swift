import Foundation
import XCTest

/// `digits teach` on the release binary: a small samples folder and a tiny
/// MNIST, the good path and every bad input with its exact message.
final class TeachTests: TinyMNISTTestCase {
    var samples: String { dir + "/mine" }
    var out: String { dir + "/taught.safetensors" }

    /// A samples folder of `count` noise drawings labelled 0…9 in turn (`labels` overrides).
    func writeSamples(_ count: Int, labels: [UInt8]? = nil, at path: String? = nil) throws {
        try SamplesFolder.write(to: path ?? samples, count: count, labels: labels)
    }

    func teach(_ extra: [String]) throws -> Run {
        try Binary.run(["teach", "--data", data] + extra, timeout: 300)
    }

    func testTeachesAndSavesWithBeforeAndAfter() throws {
        try writeSamples(20)
        let r = try teach(["--samples", samples, "--out", out, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let j = try Binary.json(r.stdout)
        XCTAssertEqual(j["samples"] as? Int, 20)
        XCTAssertEqual(j["folds"] as? Int, 5)
        XCTAssertEqual(j["mnist_test_count"] as? Int, 20)
        XCTAssertEqual(j["out"] as? String, out)
        for key in ["samples_before", "samples_after", "mnist_before", "mnist_after"] {
            let v = try XCTUnwrap(j[key] as? Double, key)
            XCTAssertTrue((0...1).contains(v), "\(key) \(v)")
        }
        XCTAssertGreaterThan(try XCTUnwrap(j["seconds"] as? Double), 0)
        // The taught weights load and evaluate.
        let e = try Binary.run(["eval", "--weights", out, "--data", data, "--json"])
        XCTAssertEqual(e.status, 0, e.stderr)
        // The same seed teaches the same weights, byte for byte.
        let again = dir + "/again.safetensors"
        let r2 = try teach(["--samples", samples, "--out", again])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: out), FileManager.default.contents(atPath: again))
        XCTAssertTrue(r2.stdout.contains("your samples, 5-fold (each read by a model not taught it): "), r2.stdout)
        XCTAssertTrue(r2.stdout.contains("MNIST test (20 images): "), r2.stdout)
        XCTAssertTrue(r2.stdout.contains("saved \(again)"), r2.stdout)
    }

    func testTooFewSamples() throws {
        try writeSamples(9)
        let r = try teach(["--samples", samples, "--out", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "digits: \(samples): 9 samples; teaching needs at least 10 (one per digit)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testNoSamplesFolder() throws {
        let r = try teach(["--samples", dir + "/none", "--out", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "digits: \(dir!)/none: no samples there (label drawings in the app, or pass --samples DIR)\n")
    }

    func testALabelThatIsNotADigit() throws {
        try writeSamples(12, labels: [0, 1, 2, 12, 4, 5, 6, 7, 8, 9, 0, 1])
        let r = try teach(["--samples", samples, "--out", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "digits: \(samples)/labels-idx1-ubyte: label 12 at index 3 is not a digit 0–9\n")
    }

    /// The shipped weights are never the output, and stay as they were.
    func testNeverOverTheShippedModel() throws {
        try writeSamples(20)
        let shipped = Binary.packageRoot + "/assets/digitnet.safetensors"
        let before = FileManager.default.contents(atPath: shipped)
        let r = try teach(["--samples", samples, "--out", shipped])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "digits: \(shipped) is the shipped model: teaching never replaces it; save under another name with --out FILE\n")
        XCTAssertEqual(FileManager.default.contents(atPath: shipped), before)
    }

    /// The output is checked before any work: a missing directory is said at once.
    func testOutputInAMissingDirectory() throws {
        try writeSamples(20)
        let r = try teach(["--samples", samples, "--out", dir + "/no/such/dir/t.safetensors"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("digits: \(dir!)/no/such/dir/t.safetensors"), r.stderr)
    }

    /// A damaged samples folder (the images cut short) is one line, nothing saved.
    func testDamagedSamples() throws {
        try writeSamples(20)
        let images = samples + "/" + SamplesFolder.imagesName
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: images))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: images))
        let r = try teach(["--samples", samples, "--out", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("digits: \(images)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

/// A samples folder as the app's store keeps it, written directly.
enum SamplesFolder {
    static let imagesName = "images-idx3-ubyte", labelsName = "labels-idx1-ubyte"

    static func write(to dir: String, count: Int, labels given: [UInt8]? = nil) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        var seed: UInt32 = 777
        func byte() -> UInt8 { seed = seed &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: seed >> 16) }
        let labels = given ?? (0..<count).map { UInt8($0 % 10) }
        let images = be(0x0803) + be(UInt32(count)) + be(28) + be(28) + (0..<(count * 784)).map { _ in byte() }
        try Data(images).write(to: URL(fileURLWithPath: "\(dir)/\(imagesName)"))
        try Data(be(0x0801) + be(UInt32(count)) + labels).write(to: URL(fileURLWithPath: "\(dir)/\(labelsName)"))
    }
}
