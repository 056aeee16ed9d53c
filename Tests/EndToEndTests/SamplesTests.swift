import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// `digits samples …` and `--dataset mine` on the release binary, every run
/// with a temporary XDG_DATA_HOME (never the real home).
final class SamplesTests: XCTestCase {
    var dir: String!
    var env: [String: String] { ["XDG_DATA_HOME": dir + "/xdg", "HOME": dir + "/home"] }
    var store: SampleStore { SampleStore(directory: dir + "/xdg/digits/mine") }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        dir = try temporaryDirectory()
    }
    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    func digits(_ args: [String], timeout: Double = 120) throws -> Run { try Binary.run(args, env: env, timeout: timeout) }

    /// A 40×40 PGM of a thick stroke (white on black), a different one for each `n`.
    @discardableResult
    func picture(_ n: Int, name: String? = nil) -> String {
        let w = 40
        var px = [UInt8](repeating: 0, count: w * w)
        let a = Double(n % 7) * 0.4, len = 10.0 + Double(n % 5)
        for t in stride(from: -len, through: len, by: 0.5) {
            let cx = 20 + t * cos(a), cy = 20 + t * sin(a) + Double(n % 3) * (t * t) / 40
            for dy in -2...2 { for dx in -2...2 {
                let x = Int(cx) + dx, y = Int(cy) + dy
                if x >= 0, y >= 0, x < w, y < w { px[y * w + x] = 255 }
            } }
        }
        let path = "\(dir!)/\(name ?? "p\(n).pgm")"
        FileManager.default.createFile(atPath: path, contents: Data(Array("P5\n\(w) \(w)\n255\n".utf8) + px))
        return path
    }

    func oneLine(_ r: Run, status: Int32, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("digits: ") && r.stderr.contains(text), r.stderr, file: file, line: line)
    }

    func testAddListRemoveExport() throws {
        var r = try digits(["samples", "list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains(": 0 samples (0: 0, 1: 0"), r.stdout)
        r = try digits(["samples", "add", "7", picture(1), picture(2)])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("saved 2 samples of 7 in \(dir!)/xdg/digits/mine: now 2 samples"), r.stdout)
        r = try digits(["samples", "add", "3", picture(3), "--json"])
        let j = try Binary.json(r.stdout)
        XCTAssertEqual(j["added"] as? Int, 1)
        XCTAssertEqual(j["counts"] as? [Int], [0, 0, 0, 1, 0, 0, 0, 2, 0, 0])
        // The image stored is exactly what predict's preparation makes of the picture.
        let set = try store.read()
        XCTAssertEqual(set.samples.map(\.label), [7, 7, 3])
        let expected = try PictureInput.prepare(picture(3)).prepared.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        XCTAssertEqual(set.samples[2].image, expected)
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).labels, [7, 7, 3])

        r = try digits(["samples", "list", "--all", "--json"])
        let listed = try XCTUnwrap(try Binary.json(r.stdout)["samples"] as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["label"] as? Int }, [7, 7, 3])
        r = try digits(["samples", "remove", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("removed a sample of 7 (id \(set.samples[1].id))"), r.stdout)
        r = try digits(["samples", "remove", "--last"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try store.read().samples, [set.samples[0]])

        let out = dir + "/export"
        r = try digits(["samples", "export", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try MNIST.load(images: out + "/images-idx3-ubyte", labels: out + "/labels-idx1-ubyte").labels, [7])
        XCTAssertEqual(try SampleStore(directory: out).read().samples, [set.samples[0]])
        XCTAssertEqual(try ImageIO.read(out + "/png/00000-7.png").pixels.map { UInt8(($0 * 255).rounded()) }, set.samples[0].image)
        // --samples points elsewhere: the export is a store of its own.
        r = try digits(["samples", "list", "--samples", out])
        XCTAssertTrue(r.stdout.hasPrefix("\(out): 1 sample (0: 0"), r.stdout)
        oneLine(try digits(["samples", "export", out]), status: 1, contains: "is not empty; export into a new or empty directory")
    }

    func testBadUsageAndBadInputAreOneLine() throws {
        let p = picture(1)
        for (args, text) in [(["samples", "add", "12", p], "the label must be a digit 0 to 9, not '12'"),
                             (["samples", "add", "x", p], "not 'x'"),
                             (["samples", "add", "5"], "name at least one picture"),
                             (["samples", "remove"], "its index (see `digits samples list --all`) or --last"),
                             (["samples", "remove", "2", "--last"], "not both"),
                             (["samples", "list", "--samples", ""], "--samples needs a directory"),
                             (["samples", "frobnicate"], "frobnicate")] {
            oneLine(try digits(args), status: 2, contains: text)
        }
        try digits(["samples", "add", "4", p])
        oneLine(try digits(["samples", "add", "4", p, dir + "/missing.png"]), status: 1, contains: "missing.png: no such file (nothing added)")
        XCTAssertEqual(try store.read().count, 1, "all or nothing")
        oneLine(try digits(["samples", "remove", "5"]), status: 1, contains: "no sample 5: the samples are numbered 0 to 0")
        let blank = dir + "/blank.pgm"
        FileManager.default.createFile(atPath: blank, contents: Data(Array("P5\n8 8\n255\n".utf8) + [UInt8](repeating: 0, count: 64)))
        oneLine(try digits(["samples", "add", "1", blank]), status: 1, contains: "no digit found")
        oneLine(try digits(["samples", "list", "--samples", p]), status: 1, contains: "is not a directory")
        oneLine(try digits(["samples", "add", "1", p, "--samples", p + "/sub"]), status: 1, contains: "is not a directory")
    }

    /// A damaged folder: the one line, and every good sample still listed and used.
    func testADamagedFolderSaysSoOnceAndKeepsTheGoodSamples() throws {
        try digits(["samples", "add", "2", picture(1), picture(2), picture(3)])
        var text = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n").map(String.init)
        text[1] = "{\"label\": \"2\", broken"
        try (text.joined(separator: "\n") + "\n").write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        let images = try Data(contentsOf: URL(fileURLWithPath: store.imagesPath))
        try images.prefix(images.count - 50).write(to: URL(fileURLWithPath: store.imagesPath))
        let r = try digits(["samples", "list"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("2 samples (0: 0, 1: 0, 2: 2"), r.stdout)
        oneLine(r, status: 0, contains: "samples.jsonl line 2 is damaged (invalid JSON at byte")
        XCTAssertTrue(r.stderr.contains("the IDX pair is out of date") && r.stderr.hasSuffix("; 2 samples kept\n"), r.stderr)
        let eval = try digits(["eval", "--dataset", "mine", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertEqual(try Binary.json(eval.stdout)["count"] as? Int, 2)
        XCTAssertTrue(eval.stderr.contains("line 2 is damaged"), eval.stderr)
    }

    func testTrainAndEvalOnMine() throws {
        let none = try digits(["eval", "--dataset", "mine"])
        oneLine(none, status: 1, contains: "no mine data found")
        XCTAssertTrue(none.stderr.contains("digits samples add"), none.stderr)
        // A folder whose every line is unreadable is no data set (it said count 0, accuracy 0, exit 0).
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        try "not json\n".write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        let empty = try digits(["eval", "--dataset", "mine"])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.hasSuffix("digits: \(store.directory): holds no readable samples\n"), empty.stderr)
        try FileManager.default.removeItem(atPath: store.journalPath)
        for d in 0..<10 { try digits(["samples", "add", String(d)] + (0..<5).map { picture(d * 5 + $0) }) }
        let eval = try digits(["eval", "--dataset", "mine", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertEqual(try Binary.json(eval.stdout)["count"] as? Int, 50)
        let out = dir + "/m.safetensors"
        let train = try digits(["train", "--dataset", "mine", "--model", "seed003", "--epochs", "1", "--out", out, "--json"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        // The fifth sample of each digit is the test part; the model records the data set.
        let again = try digits(["eval", "--weights", out, "--json"])
        XCTAssertEqual(try Binary.json(again.stdout)["dataset"] as? String, "mine")
    }

    /// Two processes adding 50 samples each, at the same time: 100 samples.
    func testTwoProcessesAddingAtOnceLoseNone() throws {
        let p = picture(4)
        let script = "for i in $(seq 50); do \"$0\" samples add $1 \"$2\" >/dev/null || echo FAIL; done"
        let group = DispatchGroup()
        let failures = SharedText()
        for label in ["1", "8"] {
            group.enter()
            DispatchQueue.global().async {
                let r = try? Binary.run(["-c", script, Binary.path, label, p], env: self.env, executable: "/bin/sh", timeout: 300)
                failures.append((r?.stdout ?? "no run") + (r?.stderr ?? ""))
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(failures.text, "")
        let set = try store.read()
        XCTAssertNil(set.problem)
        XCTAssertEqual(set.counts[1], 50)
        XCTAssertEqual(set.counts[8], 50)
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).count, 100)
    }

    /// kill -9 at random moments of `samples add` (10 pictures at a time, so the
    /// IDX pair is large) and of `samples remove`: every sample said "saved" is
    /// there, no line is ever damaged, and the next save leaves the folder whole.
    func testKillNineAtAnyMomentLosesNoSavedSample() throws {
        let pictures = (0..<10).map { picture($0) }
        // 400 samples already there: each change rewrites about a megabyte, so a kill can land mid-write.
        let one = try store.read().samples
        XCTAssertEqual(one.count, 0)
        try store.add((0..<400).map { i in try Sample(label: i % 10, image: (0..<784).map { UInt8(truncatingIfNeeded: $0 * i) },
                                                      strokes: [(0..<40).map { PenSample.Point(Float($0), Float(i % 28)) }]) })
        // Kills spread over a whole run's time: the quickest of three runs, so most kills land before the end.
        var runTime = Double.infinity
        for _ in 0..<3 {
            let start = Date()
            XCTAssertEqual(try digits(["samples", "add", "0"] + pictures).status, 0)
            runTime = min(runTime, Date().timeIntervalSince(start))
        }
        var killed = 0, previous = 430
        var generator = SystemRandomNumberGenerator()
        for round in 0..<30 {
            let removing = round % 4 == 3
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Binary.path)
            p.arguments = removing ? ["samples", "remove", "--last"] : ["samples", "add", String(round % 10)] + pictures
            p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...UInt32(runTime * 1_100_000), using: &generator))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let finished = p.terminationReason == .exit && p.terminationStatus == 0
            if !finished { killed += 1 }
            let set = try store.read()
            XCTAssertFalse(set.problem?.contains("damaged") ?? false, set.problem ?? "")
            if removing {
                // A removal killed before its commit removed nothing; after it, one.
                XCTAssertTrue(set.count == previous || set.count == previous - 1, "round \(round): \(set.count) after \(previous)")
            } else {
                XCTAssertTrue(set.count == previous || set.count == previous + 10, "round \(round): \(set.count) after \(previous)")
                if finished { XCTAssertEqual(set.count, previous + 10, "round \(round): said saved") }
            }
            previous = set.count
        }
        XCTAssertGreaterThan(killed, 5, "the kills must land while the process runs")
        // One clean save makes the folder whole again: lines and IDX pair agree.
        XCTAssertEqual(try digits(["samples", "add", "5", pictures[0]]).status, 0)
        let set = try store.read()
        XCTAssertNil(set.problem)
        XCTAssertEqual(set.count, previous + 1)
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).count, set.count)
    }

    /// kill -9 at every system call that changes the folder, one run each: strace
    /// kills `samples add` (and `samples remove`) at the N-th write, pwrite,
    /// ftruncate, fsync, rename or flock, for N = 1, 2, … until a run gets through.
    /// After each: no damaged line, and the samples are those from before or after.
    func testKillNineAtEverySystemCallOfASave() throws {
        guard let strace = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("strace is not installed: the kill at every system call needs it")
        }
        let pictures = (0..<4).map { picture($0) }
        try digits(["samples", "add", "9"] + pictures)
        var previous = 4, kills = 0
        for (op, change) in [(["samples", "add", "3"] + pictures, 4), (["samples", "remove", "--last"], -1)] {
            for call in ["write", "pwrite64", "ftruncate", "fsync", "rename", "flock"] {
                for n in 1...60 {
                    let r = try Binary.run(["-f", "-o", "/dev/null", "-e", "trace=\(call)", "-e", "inject=\(call):signal=KILL:when=\(n)", Binary.path] + op,
                                           env: env, executable: strace, timeout: 60)
                    let set = try store.read()
                    let what = "\(op[1]) killed at \(call) #\(n)"
                    XCTAssertFalse(set.problem?.contains("damaged") ?? false, "\(what): \(set.problem ?? "")")
                    XCTAssertTrue(set.count == previous || set.count == previous + change, "\(what): \(set.count) samples after \(previous)")
                    if r.status == 0 {
                        XCTAssertEqual(set.count, previous + change, "\(what): said done")
                        previous = set.count
                        break
                    }
                    // strace ends as its tracee did: by SIGKILL (Process reports the signal, 9), or 128 + 9.
                    XCTAssertTrue(r.status == SIGKILL || r.status == 128 + SIGKILL, "\(what): \(r.status) \(r.stderr)")
                    kills += 1
                    previous = set.count
                }
            }
        }
        XCTAssertGreaterThan(kills, 10)
        XCTAssertEqual(try digits(["samples", "add", "5", pictures[0]]).status, 0)
        let set = try store.read()
        XCTAssertNil(set.problem)
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).count, set.count)
    }
}

final class SharedText: @unchecked Sendable {
    private var t = ""
    private let lock = NSLock()
    func append(_ s: String) { lock.lock(); t += s; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return t }
}
