import DigitData
import Foundation
import XCTest

/// `digits teach` on the release binary: a small samples folder and a tiny
/// MNIST, the good path and every bad input with its exact message.
final class TeachTests: TinyMNISTTestCase {
    var samples: String { dir + "/mine" }
    var out: String { dir + "/taught.safetensors" }

    func writeSamples(_ count: Int) throws { try SamplesFolder.write(to: samples, count: count) }

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
        XCTAssertEqual(r.stderr, "digits: \(samples): 9 samples; teaching needs at least 10 (one per digit): label drawings in the app (keys 0–9) or add pictures with `digits samples add`\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// A folder that does not exist is an empty store.
    func testNoSamplesFolder() throws {
        let r = try teach(["--samples", dir + "/none", "--out", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "digits: \(dir!)/none: 0 samples; teaching needs at least 10 (one per digit): label drawings in the app (keys 0–9) or add pictures with `digits samples add`\n")
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

    /// Nor into the samples folder it reads (it once replaced samples.jsonl: 40 samples lost),
    /// nor over the weights it reads.
    func testNeverOverItsOwnInputs() throws {
        try writeSamples(20)
        let journal = samples + "/samples.jsonl"
        let before = FileManager.default.contents(atPath: journal)
        let r = try teach(["--samples", samples, "--out", journal])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "digits: \(journal): is inside the samples folder this command reads; write the taught weights elsewhere\n")
        XCTAssertEqual(FileManager.default.contents(atPath: journal), before)
        let weights = dir + "/w.safetensors"
        try FileManager.default.copyItem(atPath: Binary.packageRoot + "/assets/digitnet.safetensors", toPath: weights)
        let w = try teach(["--samples", samples, "--weights", weights, "--out", weights])
        XCTAssertEqual(w.status, 1)
        XCTAssertEqual(w.stderr, "digits: \(weights): is the weights file this command reads; write the output elsewhere\n")
    }

    /// The output is checked before any work: a missing directory is said at once.
    func testOutputInAMissingDirectory() throws {
        try writeSamples(20)
        let r = try teach(["--samples", samples, "--out", dir + "/no/such/dir/t.safetensors"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("digits: \(dir!)/no/such/dir/t.safetensors"), r.stderr)
    }

    /// A damaged samples folder: the store's one line, and the good samples are taught.
    func testDamagedSamplesTeachTheGoodOnes() throws {
        try writeSamples(20)
        let journal = samples + "/" + SampleStore.journalName
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data("{\"label\": \"3\", damaged\n".utf8))
        handle.closeFile()
        let r = try teach(["--samples", samples, "--out", out, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // (The progress lines follow it on stderr.)
        XCTAssertEqual(r.stderr.split(separator: "\n").first.map(String.init),
                       "digits: \(samples): samples.jsonl line 21 is damaged (invalid JSON at byte 15: expected a key) and is skipped; 20 samples kept")
        XCTAssertEqual(try Binary.json(r.stdout)["samples"] as? Int, 20)
    }
}

/// A samples folder written through the store, as the app and `digits samples` write it.
enum SamplesFolder {
    /// `count` noise drawings labelled 0…9 in turn.
    static func write(to dir: String, count: Int) throws {
        var seed: UInt32 = 777
        func byte() -> UInt8 { seed = seed &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: seed >> 16) }
        let samples = try (0..<count).map { i in try Sample(label: i % 10, image: (0..<784).map { _ in byte() }) }
        try SampleStore(directory: dir).add(samples)
    }
}
