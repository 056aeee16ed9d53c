import Foundation
import XCTest

/// The command-line contract of DESIGN.md, checked on the real binary.
final class CLITests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else {
            throw XCTSkip("no digits binary at \(Binary.path); run `make test` (it builds one)")
        }
    }

    func testSummaryCountsEverySeed() throws {
        let expected = ["seed000": 197_855, "seed001": 81_066, "seed002": 102_794, "seed003": 173_738, "seed004": 2_380_938]
        for (name, count) in expected {
            let r = try Binary.run(["summary", "--model", name, "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try Binary.json(r.stdout)["params"] as? Int, count, name)
        }
        let table = try Binary.run(["summary", "--model", "seed003"])
        XCTAssertTrue(table.stdout.contains("Total params: 173,738"), table.stdout)
    }

    func testUsageErrorsAreOneLineWithExitCode2() throws {
        for args in [["train", "--epochs", "0"], ["summary", "--model", "conv3k"], ["train", "--optimizer", "rmsprop"],
                     ["eval", "--bogus"], ["train", "--dataset", "cifar"]] {
            let r = try Binary.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("digits: "), r.stderr)
        }
    }

    func testBadInputIsOneLineWithExitCode1() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let junk = dir + "/junk.safetensors"
        FileManager.default.createFile(atPath: junk, contents: Data("hello world, not weights".utf8))
        let cases: [([String], String)] = [
            (["eval", "--weights", dir + "/missing.safetensors"], "missing.safetensors: no such file"),
            (["eval", "--weights", junk], "junk.safetensors: not a valid safetensors file"),
            (["eval", "--weights", dir], "is not a regular file"),
            (["summary", "--weights", junk], "not a valid safetensors file"),
        ]
        for (args, expected) in cases {
            let r = try Binary.run(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
        }
        let noData = try Binary.run(["train", "--model", "seed003", "--data", dir + "/nowhere", "--out", dir + "/x.safetensors"])
        XCTAssertEqual(noData.status, 1)
        XCTAssertTrue(noData.stderr.contains("no mnist data found (looked in \(dir)/nowhere"), noData.stderr)
        XCTAssertTrue(noData.stderr.contains("digits fetch-mnist"), noData.stderr)
    }

    /// Train a little, evaluate, resume: the files a user relies on appear and agree.
    /// `digits bench` (a short run): every figure the README table is made from,
    /// each a plausible number, and the text form with its per-layer profile.
    func testBenchReportsEveryFigure() throws {
        let r = try Binary.run(["bench", "--model", "seed003", "--images", "256", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(o["model"] as? String, "seed003")
        XCTAssertEqual(o["params"] as? Int, 173_738)
        for key in ["sgemm_gflops", "sgemm_gflops_1thread", "train_images_per_s", "train_images_per_s_1thread", "thread_scaling", "train_gflops",
                    "infer_batch1_ms_p50", "infer_batch1_ms_p99", "stroke_ms_p50", "stroke_ms_p99", "peak_rss_mb"] {
            let v = try XCTUnwrap(o[key] as? Double, "\(key) missing in \(r.stdout)")
            XCTAssertGreaterThan(v, 0, key)
        }
        XCTAssertLessThanOrEqual(o["infer_batch1_ms_p50"] as! Double, o["infer_batch1_ms_p99"] as! Double)
        // The scaling is the median of the rounds' own (1 and 2 threads back to back).
        let rounds = try XCTUnwrap(o["thread_scaling_rounds"] as? [Double], r.stdout)
        XCTAssertEqual(rounds.count, (o["threads"] as? Int ?? 1) > 1 ? 3 : 1, r.stdout)
        XCTAssertEqual(rounds, rounds.sorted(), r.stdout)
        XCTAssertTrue(rounds.allSatisfy { $0 > 0.2 && $0 < 4 }, r.stdout)
        XCTAssertEqual(o["thread_scaling"] as! Double, rounds[rounds.count / 2], accuracy: 0.006)
        let text = try Binary.run(["bench", "--model", "seed003", "--images", "256"], env: ["DIGITS_PROFILE": "1"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("thread scaling ×"), text.stdout)
        XCTAssertTrue(text.stdout.contains("batch-1 inference: p50"), text.stdout)
        XCTAssertEqual(text.stderr.split(separator: "\n").filter { $0.contains("batch-1 ") && $0.hasSuffix("µs") }.count, 7,
                       "one profile line per layer of seed003:\n\(text.stderr)")
    }

    func testTrainEvalResumeOnASubset() throws {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to the data sets to run training tests") }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/s3.safetensors"
        let r = try Binary.run(["train", "--model", "seed003", "--epochs", "1", "--limit", "3000", "--val-split", "0.1",
                                "--seed", "3", "--out", out, "--json"], env: ["DIGITS_DATA": data])
        XCTAssertEqual(r.status, 0, r.stderr)
        let result = try Binary.json(r.stdout)
        XCTAssertGreaterThan(result["test_accuracy"] as? Double ?? 0, 0.80)
        XCTAssertNotNil(result["val_accuracy"] as? Double)
        for f in [out, dir + "/s3.history.csv", dir + "/s3.checkpoint.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: f), f)
        }
        let history = try String(contentsOfFile: dir + "/s3.history.csv", encoding: .utf8)
        XCTAssertTrue(history.hasPrefix("epoch,train_loss,train_accuracy,val_loss,val_accuracy"))
        XCTAssertEqual(history.split(separator: "\n").count, 2)

        let e = try Binary.run(["eval", "--weights", out, "--json"], env: ["DIGITS_DATA": data])
        XCTAssertEqual(e.status, 0, e.stderr)
        let eval = try Binary.json(e.stdout)
        XCTAssertEqual(eval["accuracy"] as! Double, result["test_accuracy"] as! Double, accuracy: 1e-6)
        let confusion = try XCTUnwrap(eval["confusion"] as? [[Int]])
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), 10_000)
        XCTAssertEqual((eval["per_class"] as? [Any])?.count, 10)

        let resumed = try Binary.run(["train", "--resume", dir + "/s3.checkpoint.safetensors", "--epochs", "2", "--json"],
                                     env: ["DIGITS_DATA": data])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming after epoch 1"), resumed.stderr)
        XCTAssertEqual(try Binary.json(resumed.stdout)["epochs"] as? Int, 2)
    }

    /// Ctrl-C stops after the current batch, keeps the last checkpoint and says how to resume.
    func testInterruptKeepsTheLastCheckpoint() throws {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to run training tests") }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Binary.path)
        p.arguments = ["train", "--model", "seed003", "--epochs", "100", "--limit", "1000", "--out", dir + "/m.safetensors"]
        p.environment = ProcessInfo.processInfo.environment.merging(["DIGITS_DATA": data]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let checkpoint = dir + "/m.checkpoint.safetensors"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint) && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint), "no checkpoint after the first epoch")
        kill(p.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("digits train --resume \(checkpoint)"), stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/m.safetensors"), "no final weights from a stopped run")
        let resumed = try Binary.run(["train", "--resume", checkpoint, "--epochs", "3", "--json"], env: ["DIGITS_DATA": data])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try Binary.json(resumed.stdout)["epochs"] as? Int, 3)
    }

    /// The shipped model, found with no options, meets the accuracy it promises.
    func testShippedWeightsReachTheirAccuracy() throws {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to the data sets to run this test") }
        let elsewhere = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        var env = ["DIGITS_DATA": data]
        env["DIGITS_WEIGHTS"] = ""
        let r = try Binary.run(["eval", "--json"], env: env, cwd: elsewhere)
        XCTAssertEqual(r.status, 0, r.stderr)
        let eval = try Binary.json(r.stdout)
        XCTAssertGreaterThanOrEqual(eval["accuracy"] as? Double ?? 0, 0.994)
        XCTAssertEqual(eval["model"] as? String, "digitnet")
    }
}
