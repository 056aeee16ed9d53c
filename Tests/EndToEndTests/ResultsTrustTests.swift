import Foundation
import XCTest
import ConvNet

/// The second round of a hostile tester's findings (issue 10): values from
/// outside that still reached a result, a resumed run or the terminal. Each is
/// refused with one line, or shown escaped.
final class ResultsTrustTests: TinyMNISTTestCase {
    func digits(_ args: [String], env: [String: String] = [:]) throws -> Run {
        try Binary.run(args, env: ["DIGITS_DATA": ""].merging(env) { $1 }, cwd: dir, timeout: 120)
    }

    func assertOneLine(_ r: Run, status: Int32, _ expected: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.timedOut, "\(what): still running", file: file, line: line)
        XCTAssertEqual(r.status, status, "\(what): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("digits:") }
        XCTAssertEqual(lines.count, 1, "\(what): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(expected), "\(what): expected '\(expected)' in \(r.stderr)", file: file, line: line)
    }

    /// Weights that pass the load check (finite for a blank and a full image) but
    /// overflow on images whose centre is brighter than their corner: `eval`
    /// printed an accuracy counted among NaN scores, with exit 0.
    func testEvalRefusesNonFiniteScores() throws {
        let weights = dir + "/overflow.safetensors"
        try CraftedWeights.overflowingOnInk(to: weights, metadata: [("dataset", "mnist")])
        assertOneLine(try digits(["eval", "--weights", weights, "--data", data]), status: 1,
                      "gives non-finite class scores for some of the mnist test images", "eval")
        assertOneLine(try digits(["eval", "--weights", weights, "--data", data, "--json"]), status: 1,
                      "gives non-finite class scores", "eval --json")
    }

    /// A checkpoint of one epoch of seed003 on the tiny data set, and a copy of
    /// it changed by `edit`.
    func checkpoint(_ name: String, _ edit: (inout Safetensors) -> Void) throws -> String {
        let base = dir + "/base.checkpoint.safetensors"
        if !FileManager.default.fileExists(atPath: base) {
            let r = try digits(["train", "--data", data, "--model", "seed003", "--epochs", "1", "--out", dir + "/base.safetensors"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        var f = try Safetensors.read(base)
        edit(&f)
        let path = "\(dir!)/\(name).checkpoint.safetensors"
        try Data(f.encode()).write(to: URL(fileURLWithPath: path))
        return path
    }

    func resume(_ path: String) throws -> Run {
        try digits(["train", "--resume", path, "--data", data, "--epochs", "2", "--out", dir + "/resumed.safetensors"])
    }

    func setMeta(_ f: inout Safetensors, _ key: String, _ value: String) {
        f.metadata = f.metadata.filter { $0.0 != key } + [(key, value)]
    }

    /// NaN in the history was copied into the new history and checkpoint; an
    /// empty history with a non-zero step restarted from epoch 1 on trained weights.
    func testResumeRefusesAHistoryThatNoRunWrites() throws {
        let header = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,images_per_second,learning_rate\n"
        let cases: [(String, String)] = [
            ("nan", header + "1,nan,nan,nan,nan,0.01,100,nan\n"),
            ("inf-loss", header + "1,inf,0.5,,,0.01,100,0.001\n"),
            ("huge-lr", header + "1,0.5,0.5,,,0.01,100,1e300\n"),
            ("accuracy", header + "1,0.5,7,,,0.01,100,0.001\n"),
            ("order", header + "2,0.5,0.5,,,0.01,100,0.001\n"),
        ]
        for (name, history) in cases {
            let c = try checkpoint(name) { setMeta(&$0, "history", history) }
            assertOneLine(try resume(c), status: 1, "not a resumable checkpoint: bad history line", name)
        }
        let empty = try checkpoint("empty") { setMeta(&$0, "history", header) }
        assertOneLine(try resume(empty), status: 1, "its history of 0 epochs does not fit optimizer step", "empty history")
    }

    /// A NaN in Adam's state trained until the loss broke, then blamed the learning rate.
    func testResumeRefusesNonFiniteOptimizerState() throws {
        let c = try checkpoint("nan-slot") { f in
            f.tensors = f.tensors.map { t in
                guard t.name == "optimizer.conv1.weight.0" else { return t }
                var v = t.tensor.values; v[3] = .nan
                return (t.name, Safetensors.Tensor(shape: t.tensor.shape, values: v))
            }
        }
        assertOneLine(try resume(c), status: 1, "optimizer state 'optimizer.conv1.weight.0' holds a non-finite value (nan) at index 3", "NaN slot")
    }

    /// More threads than cores hung training in OpenBLAS's allocator under a memory limit.
    func testThreadsAreAtMostOnePerCore() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        assertOneLine(try digits(["train", "--data", data, "--threads", String(cores + 1)]), status: 2,
                      "--threads must be a whole number from 1 to \(cores)", "train --threads")
        assertOneLine(try digits(["bench", "--threads", "32"]), status: 2, "--threads must be a whole number from 1 to \(cores)", "bench --threads")
    }

    /// `summary` described the shipped model while every other command read $DIGITS_WEIGHTS.
    func testSummaryReadsDigitsWeights() throws {
        let net = try Network(spec: "in28x28x1-flatten-dense10")
        let weights = dir + "/small.safetensors"
        try WeightsFile.save(net, metadata: [], to: weights)
        let r = try digits(["summary"], env: ["DIGITS_WEIGHTS": weights])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("in28x28x1-flatten-dense10"), r.stdout)
        assertOneLine(try digits(["summary"], env: ["DIGITS_WEIGHTS": dir + "/none.safetensors"]), status: 1, "no such file", "missing")
    }

    /// `--model` read a file as another architecture than the one it names.
    func testModelDoesNotOverrideAFilesOwnArchitecture() throws {
        let net = try Network(spec: "in28x28x1-flatten-dense10")
        let weights = dir + "/named.safetensors"
        try WeightsFile.save(net, metadata: [], to: weights)
        assertOneLine(try digits(["eval", "--weights", weights, "--data", data, "--model", "in28x28x1-flatten-dense32-relu-dense10"]),
                      status: 1, "its metadata names the architecture 'in28x28x1-flatten-dense10-softmax'; --model is only for files that name none",
                      "a different --model")
        // The same architecture, named or spelled out, is fine.
        XCTAssertEqual(try digits(["eval", "--weights", weights, "--data", data, "--model", "in28x28x1-flatten-dense10"]).status, 0)
    }

    /// File names on standard output (weights:, history:, picture:, eval's header)
    /// sent escape sequences to the terminal.
    func testPathsOnStandardOutputAreEscaped() throws {
        let out = "e\u{1B}[31m.safetensors"
        let r = try digits(["train", "--data", data, "--model", "in28x28x1-flatten-dense10", "--epochs", "1", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("weights: e\\e[31m.safetensors"), r.stdout)
        XCTAssertFalse(r.stdout.unicodeScalars.contains("\u{1B}"), "ESC on stdout: \(r.stdout)")
        let e = try digits(["eval", "--weights", out, "--data", data])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertFalse(e.stdout.unicodeScalars.contains("\u{1B}"), "ESC on stdout: \(e.stdout)")
    }

    /// `bench --data` on a damaged data set measured on noise instead, with exit 0;
    /// `--json` was ignored with `--training-only`.
    func testBenchReportsDamagedDataAndPrintsJSON() throws {
        let broken = dir + "/broken"
        try TinyMNIST.write(to: broken)
        let images = broken + "/train-images-idx3-ubyte"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: images))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: images))
        assertOneLine(try digits(["bench", "--model", "in28x28x1-flatten-dense10", "--images", "128", "--threads", "1", "--data", broken]),
                      status: 1, "truncated", "bench --data broken")
        let j = try digits(["bench", "--json", "--training-only", "--model", "in28x28x1-flatten-dense10", "--images", "128", "--threads", "1"])
        XCTAssertEqual(j.status, 0, j.stderr)
        let o = try Binary.json(j.stdout)
        XCTAssertNotNil(o["training_images_per_second"] as? Double, j.stdout)
    }
}
