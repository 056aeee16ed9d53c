import Foundation
import XCTest
import ConvNet

/// Issue 10, "Trust nothing from outside", on the release binary: every output
/// path, checkpoint field, option and byte that reaches the terminal is checked
/// where it enters, with one line on stderr and exit 1 (bad input) or 2 (usage).
final class TrustBoundaryTests: TinyMNISTTestCase {
    func train(_ extra: [String]) throws -> Run {
        try Binary.run(["train", "--data", data, "--model", "seed003", "--epochs", "1"] + extra, env: ["DIGITS_DATA": ""])
    }

    func assertOneLine(_ r: Run, status: Int32, _ expected: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, "\(what): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, "\(what): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("digits: "), "\(what): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(expected), "\(what): expected '\(expected)' in \(r.stderr)", file: file, line: line)
    }

    // MARK: 1. --out never replaces what is not a regular file, and is checked before the first epoch

    func testOutRefusesDevicesPipesLinksAndDirectories() throws {
        let fifo = dir + "/fifo.safetensors"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let link = dir + "/link.safetensors"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir + "/elsewhere.safetensors")
        // A device of our own first (a binary without the check would replace it,
        // not the machine's /dev/null); the real /dev/null and /dev/full only
        // once that one was refused.
        let device = dir + "/null.safetensors"
        let haveDevice = mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0   // major 1, minor 3: a null device
        if haveDevice {
            assertOneLine(try train(["--out", device]), status: 1, "is not a regular file", "a character device")
        }
        var st = stat()
        let deviceKept = haveDevice && lstat(device, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR
        XCTAssertTrue(deviceKept || !haveDevice, "the device node is still a device")
        var cases: [(String, String)] = [
            (fifo, "is not a regular file"),
            (link, "is a symbolic link"),
            (dir + "/sub/", "names a directory"),
            (dir, "is a directory"),
            (dir + "/missing/m.safetensors", "its directory \(dir!)/missing does not exist"),
        ]
        if deviceKept { cases += [("/dev/null", "/dev/null: is not a regular file"), ("/dev/full", "/dev/full: is not a regular file")] }
        for (out, expected) in cases {
            let r = try train(["--out", out])
            assertOneLine(r, status: 1, expected, out)
            XCTAssertFalse(r.stderr.contains("epoch 1/1"), "checked before training: \(r.stderr)")
        }
        XCTAssertEqual(lstat("/dev/null", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a character device")
        XCTAssertEqual(lstat(fifo, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "the FIFO is still there")
        XCTAssertEqual(lstat(link, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK, "the link is still a link")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/elsewhere.safetensors"))
    }

    func testReplacedOutputsKeepTheirMode() throws {
        let out = dir + "/private.safetensors"
        _ = FileManager.default.createFile(atPath: out, contents: Data("old".utf8))
        XCTAssertEqual(chmod(out, 0o600), 0)
        let r = try train(["--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        var st = stat()
        XCTAssertEqual(stat(out, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600, "the new weights keep the old file's mode")
        XCTAssertGreaterThan(st.st_size, 100_000)
    }

    // MARK: 4. Crafted checkpoints: every field checked as the command line checks it

    /// A real one-epoch checkpoint, then each crafted field in turn.
    func testCraftedCheckpointFieldsAreRefused() throws {
        let out = dir + "/c.safetensors"
        let first = try train(["--out", out])
        XCTAssertEqual(first.status, 0, first.stderr)
        let checkpoint = dir + "/c.checkpoint.safetensors"
        let original = try Safetensors.read(checkpoint)
        let settings = try XCTUnwrap(original.meta("settings"))
        func crafted(_ key: String, _ value: String) throws -> String {
            var f = original
            f.metadata = f.metadata.map { $0.0 == key ? ($0.0, value) : $0 }
            if !f.metadata.contains(where: { $0.0 == key }) { f.metadata.append((key, value)) }
            let path = dir + "/crafted.checkpoint.safetensors"
            try Data(f.encode()).write(to: URL(fileURLWithPath: path))
            return path
        }
        func setting(_ k: String, _ v: String) -> String {
            settings.replacingOccurrences(of: try! NSRegularExpression(pattern: "\"\(k)\":[^,}]*").firstMatch(in: settings, range: NSRange(settings.startIndex..., in: settings)).map { String(settings[Range($0.range, in: settings)!]) }!, with: "\"\(k)\":\(v)")
        }
        let cases: [(String, String, String)] = [
            ("settings", setting("validation_split", "5"), "validation_split must be a number in [0, 1)"),
            ("settings", setting("epochs", "1e300"), "epochs must be a whole number from 1 to 1000000"),
            ("settings", setting("batch_size", "0"), "batch_size must be a whole number from 1 to 65536"),
            ("settings", setting("batch_size", "-1"), "batch_size must be a whole number"),
            ("settings", setting("batch_size", "0.5"), "batch_size must be a whole number"),
            ("settings", setting("learning_rate", "-0.001"), "learning_rate must be a number in (0, 100]"),
            ("settings", setting("learning_rate_decay", "1e39"), "learning_rate_decay must be a number in (0, 1]"),
            ("holdout", "nan", "holdout must be a number in (0, 1)"),
            ("holdout", "-0.5", "holdout must be a number in (0, 1)"),
            ("train_limit", "-5", "train_limit must be a whole number"),
            ("rng", "0 0 0 0", "the generator state is all zeros"),
            ("optimizer_step", "-3", "optimizer step -3 is outside"),
            ("history", HistoryCSV.header + "\n1,0.5,0.5,,,1e300,1e300,0.001\n", "bad history line"),
        ]
        for (key, value, expected) in cases {
            let path = try crafted(key, value)
            let r = try Binary.run(["train", "--resume", path, "--data", data, "--out", dir + "/r.safetensors"])
            assertOneLine(r, status: 1, expected, "\(key)=\(value)")
        }
    }

    // MARK: 9. Degenerate runs fail instead of saving weights their own loader refuses

    func testDegenerateRunsAreRefused() throws {
        let usage: [([String], String)] = [
            (["--lr", "3e38"], "--lr must be a number in (0, 100]"),
            (["--momentum", "nan"], "--momentum must be a number in [0, 1)"),
            (["--momentum", "1e30"], "--momentum must be a number in [0, 1)"),
            (["--momentum", "-5"], "--momentum must be a number in [0, 1)"),
            (["--epochs", "-1"], "--epochs must be a whole number from 1 to 1000000"),
            (["--batch-size", "0"], "--batch-size must be a whole number from 1 to 65536"),
            (["--holdout", "1"], "--holdout must be a number in (0, 1)"),
        ]
        for (args, expected) in usage { assertOneLine(try train(args + ["--out", dir + "/d.safetensors"]), status: 2, expected, "\(args)") }
        let r = try train(["--holdout", "0.9999", "--out", dir + "/h.safetensors"])
        assertOneLine(r, status: 1, "no training images are left", "--holdout 0.9999")
        let empty = dir + "/empty"
        try TinyMNIST.write(to: empty, train: 0, test: 10)
        let e = try Binary.run(["train", "--data", empty, "--model", "seed003", "--epochs", "1", "--out", dir + "/e.safetensors"])
        assertOneLine(e, status: 1, "no training images are left", "0 training images")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/e.safetensors"))
        // Folds with no examples would report NaN accuracies.
        let cv = try Binary.run(["cv", "--dataset", "mnist", "--data", data, "--model", "seed003", "--limit", "5", "--folds", "5"])
        assertOneLine(cv, status: 1, "5 examples are too few for 5 folds", "cv on 5 examples")
    }

    /// A resumed checkpoint whose optimizer state is finite but absurd (Adam's
    /// first moments −1e30, second moments 1e30): the first step pushes every
    /// weight up by ~1e12, the class scores overflow and the loss stops being
    /// finite. (Weights that overflow by themselves are refused
    /// when the checkpoint loads, so the optimizer is what has to diverge.) The
    /// run stops with exit 1 saying why, saves no ruined weights, and leaves the
    /// checkpoint as it was.
    func testDivergingRunStopsAndSavesNothingRuined() throws {
        XCTAssertEqual(try train(["--out", dir + "/n.safetensors", "--epochs", "1"]).status, 0)
        var f = try Safetensors.read(dir + "/n.checkpoint.safetensors")
        f.tensors = f.tensors.map { t in
            // Slot 0 is Adam's first moment, slot 1 its second.
            !t.name.hasPrefix("optimizer.") ? t
                : (t.name, Safetensors.Tensor(shape: t.tensor.shape, values: t.tensor.values.map { _ in t.name.hasSuffix(".0") ? -1e30 : 1e30 }))
        }
        f.metadata = f.metadata.map { $0.0 == "settings" ? ($0.0, $0.1.replacingOccurrences(of: "\"epochs\":1,", with: "\"epochs\":3,")) : $0 }
        let checkpoint = dir + "/nan.checkpoint.safetensors"
        let bytes = f.encode()
        try Data(bytes).write(to: URL(fileURLWithPath: checkpoint))
        let out = dir + "/nan.safetensors"
        let r = try Binary.run(["train", "--resume", checkpoint, "--data", data, "--out", out])
        assertOneLine(r.onlyDiagnostics, status: 1, "training diverged in epoch 2, batch ", "1e30 optimizer state")
        XCTAssertTrue(r.stderr.contains("the loss or the class scores are no longer finite numbers"), r.stderr)
        XCTAssertTrue(r.stderr.contains("the checkpoint after epoch 1 is \(checkpoint)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no weights saved")
        XCTAssertEqual(try readFile(checkpoint, limit: 1 << 30), bytes, "the checkpoint is untouched")
    }

    // MARK: 11. No byte from outside reaches the terminal raw

    func testControlBytesInMessagesAreEscaped() throws {
        let evil = dir + "/a\u{1B}]0;pwned\u{07}\nb\u{1B}[31m.safetensors"
        let r = try Binary.run(["eval", "--weights", evil])
        assertOneLine(r, status: 1, "no such file", "escaped path")
        XCTAssertFalse(r.stderr.contains("\u{1B}"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\\e]0;pwned\\x07\\nb\\e[31m"), r.stderr)
        // A tensor name from a file, with a newline, an escape sequence and a NUL.
        let st = Safetensors(tensors: [("conv1.weight\n\u{1B}[2J\u{0}tail", .init(shape: [1], values: [0]))], metadata: [("spec", "seed003")])
        let path = dir + "/names.safetensors"
        try Data(st.encode()).write(to: URL(fileURLWithPath: path))
        let n = try Binary.run(["summary", "--weights", path])
        XCTAssertEqual(n.status, 1, n.stderr)
        XCTAssertEqual(n.stderr.split(separator: "\n").count, 1, n.stderr)
        XCTAssertFalse(n.stderr.contains("\u{1B}"), n.stderr)
        XCTAssertTrue(n.stderr.contains("\\x00tail"), "a NUL does not cut the message: \(n.stderr)")
    }

    // MARK: 12. Bad paths and numbers of maps and fetch-mnist

    func testMapsAndFetchPathsAndTimeout() throws {
        let file = dir + "/plain"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let png = Binary.packageRoot + "/Tests/Fuzz/corpus/image/digit.png"
        assertOneLine(try Binary.run(["maps", png, "--out", file]), status: 1, "\(file): is not a directory", "maps --out a file")
        assertOneLine(try Binary.run(["fetch-mnist", "--dir", file + "/mnist", "--mirror", "http://127.0.0.1:9"]), status: 1,
                      "\(file) is not a directory", "fetch --dir under a file")
        for t in ["nan", "1e300", "-1", "0"] {
            assertOneLine(try Binary.run(["fetch-mnist", "--dir", dir + "/m", "--timeout", t]), status: 2,
                          "--timeout must be a number in (0, 3600]", "--timeout \(t)")
        }
    }

    // MARK: 13. Output errors are errors; a closed pipe is a quiet end

    func testFullDiskOnStdoutAndClosedPipe() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Binary.path)
        p.arguments = ["summary", "--model", "seed004", "--json"]
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 1, text)
        XCTAssertEqual(text, "digits: cannot write the output to standard output\n")

        let q = Process()
        q.executableURL = URL(fileURLWithPath: Binary.path)
        q.arguments = ["summary", "--model", "seed004"]
        let out = Pipe(), qerr = Pipe()
        try out.fileHandleForReading.close()   // the reader has gone before the first line
        q.standardOutput = out
        q.standardError = qerr
        try q.run()
        q.waitUntilExit()
        XCTAssertEqual(q.terminationReason, .exit, "not killed by SIGPIPE")
        XCTAssertEqual(q.terminationStatus, 0)
        XCTAssertEqual(String(decoding: qerr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "")
    }

    // MARK: 14. Every numeric option: range and finiteness, negative numbers read as values

    func testEveryNumericOptionIsChecked() throws {
        let cases: [([String], String)] = [
            (["train", "--epochs", "-1"], "--epochs must be a whole number from 1 to 1000000"),
            (["train", "--lr", "nan"], "--lr must be a number in (0, 100]"),
            (["train", "--lr-decay", "0"], "--lr-decay must be a number in (0, 1]"),
            (["train", "--val-split", "-0.1"], "--val-split must be a number in [0, 1)"),
            (["train", "--limit", "-5"], "--limit must be a whole number"),
            (["train", "--threads", "0"], "--threads must be a whole number from 1 to \(ProcessInfo.processInfo.activeProcessorCount)"),
            (["cv", "--lr", "nan"], "--lr must be a number in (0, 100]"),
            (["cv", "--folds", "1"], "--folds must be a whole number from 2 to 50"),
            (["cv", "--epochs", "-3"], "--epochs must be a whole number"),
            (["cv", "--batch-size", "100000"], "--batch-size must be a whole number from 1 to 65536"),
            (["cv", "--limit", "0"], "--limit must be a whole number"),
            (["bench", "--batch-size", "0"], "--batch-size must be a whole number from 1 to 65536"),
            (["bench", "--images", "-1"], "--images must be a whole number"),
            (["bench", "--threads", "999"], "--threads must be a whole number from 1 to \(ProcessInfo.processInfo.activeProcessorCount)"),
            (["eval", "--limit", "-2"], "--limit must be a whole number"),
            (["fetch-mnist", "--timeout", "inf"], "--timeout must be a number in (0, 3600]"),
        ]
        for (args, expected) in cases { assertOneLine(try Binary.run(args), status: 2, expected, "\(args)") }
    }

    // MARK: Interop: --model names the architecture of a file without metadata

    func testModelOptionForWeightsWithoutMetadata() throws {
        let out = dir + "/w.safetensors"
        XCTAssertEqual(try train(["--out", out]).status, 0)
        var f = try Safetensors.read(out)
        f.metadata = []
        let bare = dir + "/bare.safetensors"
        try Data(f.encode()).write(to: URL(fileURLWithPath: bare))
        let noModel = try Binary.run(["predict", "--weights", bare, "x.png"])
        assertOneLine(noModel, status: 1, "name one with --model", "no metadata")
        for args in [["eval", "--weights", bare, "--model", "seed003", "--data", data, "--json"],
                     ["summary", "--weights", bare, "--model", "seed003"]] {
            let r = try Binary.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        }
        for sub in ["predict", "maps", "draw"] {
            let help = try Binary.run([sub, "--help"])
            XCTAssertTrue(help.stdout.contains("--model"), "\(sub) --help: \(help.stdout)")
        }
    }
}

extension Run {
    /// stderr without the progress lines of a training run.
    var onlyDiagnostics: Run {
        Run(status: status, stdout: stdout,
            stderr: stderr.split(separator: "\n").filter { $0.hasPrefix("digits:") }.map { $0 + "\n" }.joined())
    }
}
