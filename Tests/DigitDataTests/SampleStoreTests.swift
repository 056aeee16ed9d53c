import XCTest
import ConvNet
@testable import DigitData

/// The samples store: what is saved comes back, the IDX pair agrees with the
/// lines, damage keeps every good sample and says so in one line, and two
/// writers at once lose nothing.
final class SampleStoreTests: XCTestCase {
    var dir: String!
    var store: SampleStore { SampleStore(directory: dir + "/mine") }

    override func setUp() {
        dir = NSTemporaryDirectory() + "digits-samples-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A sample whose image and strokes say which it is.
    func sample(_ label: Int, _ n: Int = 0) throws -> Sample {
        var image = [UInt8](repeating: 0, count: 784)
        image[n % 784] = 255; image[(n * 7 + label) % 784] = 128
        return try Sample(label: label, image: image, strokes: [[.init(1.5, 2.25), .init(Float(n), 3)], [.init(10, 11)]])
    }

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
    func write(_ path: String, _ b: [UInt8]) { FileManager.default.createFile(atPath: path, contents: Data(b)) }

    func testAMissingFolderIsAnEmptyStore() throws {
        let set = try store.read()
        XCTAssertEqual(set.count, 0)
        XCTAssertNil(set.problem)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory), "reading creates nothing")
    }

    func testRoundTripAndTheIDXPairReadsAsMNIST() throws {
        let saved = try (0..<12).map { try sample($0 % 10, $0) }
        try store.add(Array(saved.prefix(5)))
        try store.add(Array(saved.dropFirst(5)))
        let set = try store.read()
        XCTAssertNil(set.problem)
        XCTAssertEqual(set.samples, saved)
        XCTAssertEqual(set.counts, [2, 2, 1, 1, 1, 1, 1, 1, 1, 1])
        // The project's IDX reader takes the pair as it takes MNIST's.
        let data = try MNIST.load(images: store.imagesPath, labels: store.labelsPath)
        XCTAssertEqual(data.labels, saved.map { Int32($0.label) })
        XCTAssertEqual(data.image(3), saved[3].input)
        // Each line is the pen-stroke line format (plus id and image).
        let first = String(decoding: bytes(store.journalPath), as: UTF8.self).split(separator: "\n")[0]
        let json = try JSON.parse(String(first))
        XCTAssertEqual(json["label"]?.string, "0")
        XCTAssertEqual(json["site"]?.string, "mine")
        XCTAssertEqual(json["writer"]?.string, "me")
        XCTAssertEqual(json["strokes"], .array([.array([.array([.number(1.5), .number(2.25)]), .array([.number(0), .number(3)])]),
                                                .array([.array([.number(10), .number(11)])])]))
    }

    func testALabelOutsideTheDigitsIsRefused() {
        for label in [-1, 10, 255] {
            XCTAssertThrowsError(try Sample(label: label, image: [UInt8](repeating: 0, count: 784))) {
                XCTAssertEqual("\($0)", "label \(label) is not a digit 0–9")
            }
        }
        XCTAssertThrowsError(try Sample(label: 1, image: [UInt8](repeating: 0, count: 783)))
        XCTAssertThrowsError(try Sample(label: 1, image: [UInt8](repeating: 0, count: 784), strokes: [[.init(.nan, 0)]]))
    }

    func testRemoveByIndexIdAndLast() throws {
        let saved = try (0..<4).map { try sample($0, $0) }
        try store.add(saved)
        XCTAssertEqual(try store.remove(at: 1), saved[1])
        XCTAssertEqual(try store.remove(id: saved[3].id), saved[3])
        XCTAssertNil(try store.remove(id: saved[3].id), "gone already")
        XCTAssertThrowsError(try store.remove(at: 2)) { XCTAssertEqual("\($0)", "no sample 2: the samples are numbered 0 to 1") }
        XCTAssertEqual(try store.removeLast(), saved[2])
        XCTAssertEqual(try store.read().samples, [saved[0]])
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).labels, [0])
        XCTAssertEqual(try store.removeLast(), saved[0])
        XCTAssertNil(try store.removeLast())
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).count, 0)
    }

    // MARK: damage

    func testADamagedLineIsSkippedAndSaidAndKeptThroughChanges() throws {
        let saved = try (0..<3).map { try sample($0, $0) }
        try store.add(saved)
        var lines = String(decoding: bytes(store.journalPath), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[1] = String(lines[1].prefix(40)) + "#garbage"
        write(store.journalPath, Array((lines.joined(separator: "\n") + "\n").utf8))
        let set = try store.read()
        XCTAssertEqual(set.samples, [saved[0], saved[2]])
        let problem = try XCTUnwrap(set.problem)
        XCTAssertTrue(problem.hasPrefix("\(store.directory): samples.jsonl line 2 is damaged (invalid JSON"), problem)
        XCTAssertTrue(problem.hasSuffix("; 2 samples kept"), problem)
        XCTAssertFalse(problem.contains("\n"))
        // Adding and removing keep the damaged line as it was (nothing is lost, not even that).
        let more = try sample(7, 7)
        try store.add([more])
        try store.remove(id: saved[0].id)
        XCTAssertEqual(try store.read().samples, [saved[2], more])
        XCTAssertTrue(String(decoding: bytes(store.journalPath), as: UTF8.self).contains("#garbage"))
    }

    func testAnInterruptedSaveIsIgnoredAndCutOffByTheNextSave() throws {
        let saved = try (0..<2).map { try sample($0, $0) }
        try store.add(saved)
        let whole = bytes(store.journalPath)
        write(store.journalPath, whole + Array(SampleLine.encode(try sample(5)).utf8.prefix(100)))
        let set = try store.read()
        XCTAssertEqual(set.samples, saved)
        XCTAssertTrue(set.problem?.contains("its last line is incomplete (a save was interrupted) and is ignored") == true, set.problem ?? "")
        let next = try sample(9, 9)
        try store.add([next])
        let after = try store.read()
        XCTAssertNil(after.problem)
        XCTAssertEqual(after.samples, saved + [next])
    }

    func testATruncatedOrDisagreeingIDXPairLosesNothingAndIsRebuilt() throws {
        let saved = try (0..<3).map { try sample($0, $0) }
        try store.add(saved)
        let images = bytes(store.imagesPath)
        write(store.imagesPath, Array(images.prefix(images.count - 100)))
        var set = try store.read()
        XCTAssertEqual(set.samples, saved)
        XCTAssertTrue(set.problem?.contains("the IDX pair is out of date") == true, set.problem ?? "")
        XCTAssertTrue(set.problem?.contains("truncated") == true, set.problem ?? "")
        // Labels that disagree in count.
        write(store.imagesPath, images)
        write(store.labelsPath, [0, 0, 8, 1, 0, 0, 0, 2, 0, 1])
        set = try store.read()
        XCTAssertEqual(set.samples, saved)
        XCTAssertTrue(set.problem?.contains("3 images but 2 labels") == true, set.problem ?? "")
        try store.add([try sample(4, 4)])
        XCTAssertNil(try store.read().problem)
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).count, 4)
    }

    func testWithoutTheLinesTheIDXPairIsSalvaged() throws {
        let saved = try (0..<3).map { try sample($0, $0) }
        try store.add(saved)
        unlink(store.journalPath)
        write(store.labelsPath, [0, 0, 8, 1, 0, 0, 0, 2, 0, 1])   // 2 labels for 3 images
        let set = try store.read()
        XCTAssertEqual(set.samples.map(\.label), [0, 1])
        XCTAssertEqual(set.samples.map(\.image), saved.prefix(2).map(\.image))
        XCTAssertTrue(set.problem?.contains("samples.jsonl is missing") == true, set.problem ?? "")
        XCTAssertTrue(set.problem?.contains("3 images but 2 labels: the first 2 are kept") == true, set.problem ?? "")
        // The next save writes the lines again, with the salvaged samples.
        try store.add([try sample(8, 8)])
        let after = try store.read()
        XCTAssertNil(after.problem)
        XCTAssertEqual(after.samples.map(\.label), [0, 1, 8])
    }

    func testAnUnreadableJournalIsNeverReplaced() throws {
        try store.add([try sample(1)])
        let big = SampleStore.Limits.journalBytes + 1
        XCTAssertEqual(truncate(store.journalPath, off_t(big)), 0)
        let set = try store.read()
        XCTAssertEqual(set.count, 0)
        XCTAssertTrue(set.problem?.contains("over the limit") == true, set.problem ?? "")
        XCTAssertThrowsError(try store.add([try sample(2)])) { XCTAssertTrue("\($0)".contains("not changed"), "\($0)") }
        var st = stat()
        XCTAssertEqual(stat(store.journalPath, &st), 0)
        XCTAssertEqual(Int(st.st_size), big, "left as it was")
    }

    func testLinesOverTheLimitsAreDamage() throws {
        try store.add([try sample(1)])
        let good = bytes(store.journalPath)
        let id = "x"
        let tooManyStrokes = "{\"label\":\"2\",\"site\":\"mine\",\"writer\":\"me\",\"id\":\"\(id)\",\"image\":\"\",\"strokes\":["
            + Array(repeating: "[[1,1]]", count: SampleLine.Limits.strokes + 1).joined(separator: ",") + "]}\n"
        let badLabel = SampleLine.encode(try sample(3)).replacingOccurrences(of: "\"label\":\"3\"", with: "\"label\":\"12\"") + "\n"
        write(store.journalPath, good + Array(tooManyStrokes.utf8) + Array(badLabel.utf8))
        let set = try store.read()
        XCTAssertEqual(set.count, 1)
        XCTAssertTrue(set.problem?.contains("line 2 is damaged (1001 strokes, over the limit of 1000) and 1 more line are skipped") == true, set.problem ?? "")
    }

    // MARK: disk full

    /// A 64 KiB tmpfs fills up mid-save: the error is said and every sample saved before is kept.
    func testDiskFullLosesNothingSavedBefore() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let mnt = dir + "/small"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        guard mount("tmpfs", mnt, "tmpfs", 0, "size=64k") == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(errnoText())") }
        defer { umount(mnt) }
        let small = SampleStore(directory: mnt + "/mine")
        var saved: [Sample] = [], failure: Error?
        for i in 0..<200 {
            let s = try sample(i % 10, i)
            do { try small.add([s]); saved.append(s) } catch { failure = error; break }
        }
        let error = try XCTUnwrap(failure, "64 KiB cannot hold 200 samples")
        XCTAssertTrue("\(error)".contains("No space left on device"), "\(error)")
        XCTAssertTrue("\(error)".contains("not saved"), "\(error)")
        XCTAssertGreaterThan(saved.count, 3)
        XCTAssertEqual(try small.read().samples, saved)
        // Removing needs room for the new copies: it is done whole or not at all.
        if let removed = try? small.removeLast() {
            XCTAssertEqual(removed, saved.last)
            XCTAssertEqual(try small.read().samples, Array(saved.dropLast()))
        } else {
            XCTAssertEqual(try small.read().samples, saved)
        }
    }

    // MARK: two writers

    func testTwoWritersAtOnceLoseNothing() throws {
        let a = store, b = SampleStore(directory: store.directory)
        let errors = SharedValue<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            for i in 0..<50 {
                do { try (w == 0 ? a : b).add([try self.sample(i % 10, w * 100 + i)]) }
                catch { errors.mutate { $0.append("\(error)") } }
            }
        }
        XCTAssertEqual(errors.value, [])
        let set = try store.read()
        XCTAssertNil(set.problem)
        XCTAssertEqual(set.count, 100)
        XCTAssertEqual(Set(set.samples.map(\.id)).count, 100)
        XCTAssertEqual(try MNIST.load(images: store.imagesPath, labels: store.labelsPath).count, 100)
    }

    // MARK: as a data set

    func testMineAsADataSet() throws {
        try store.add(try (0..<23).map { try sample($0 % 3, $0) })
        XCTAssertTrue(Dataset.mine.present(in: store.directory))
        let both = try Dataset.mine.load(from: store.directory)
        // Each digit's 5th, 10th… sample is the test part: digits 0 and 1 have 8, digit 2 has 7: one each.
        XCTAssertEqual(both.test.count, 3)
        XCTAssertEqual(both.train?.count, 20)
        XCTAssertEqual(both.test.classCounts(3), [1, 1, 1])
        XCTAssertEqual(both.test.labels, [0, 1, 2])
        XCTAssertEqual(both.test.image(0), try store.read().samples[12].input)
        let evalOnly = try Dataset.mine.load(from: store.directory, testLimit: 20, needTrain: false)
        XCTAssertNil(evalOnly.train)
        XCTAssertEqual(evalOnly.test.count, 20)
    }

    func testXDGDataHomeMustBeAbsolute() {
        XCTAssertEqual(XDG.dataHome(["XDG_DATA_HOME": "/x/y", "HOME": "/h"]), "/x/y")
        XCTAssertEqual(XDG.dataHome(["XDG_DATA_HOME": "rel", "HOME": "/h"]), "/h/.local/share")
        XCTAssertEqual(XDG.dataHome(["XDG_DATA_HOME": "", "HOME": "/h"]), "/h/.local/share")
    }
}

/// A value shared between threads.
final class SharedValue<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); defer { lock.unlock() }; f(&v) }
}
