import XCTest
import ConvNet
@testable import DigitData

final class PenDigitsTests: XCTestCase {
    /// Writers on each side of `WriterSplit`, found by the rule itself.
    let heldOut = (0..<100).map { "h\($0)" }.filter { WriterSplit.isHeldOut(site: "s", writer: $0) }.prefix(2)
    let training = (0..<100).map { "t\($0)" }.filter { !WriterSplit.isHeldOut(site: "s", writer: $0) }.prefix(2)

    func sample(_ label: String, _ writer: String) -> PenSample {
        PenSample(label: label, site: "s", writer: writer, strokes: [[.init(0, 0), .init(10, 0), .init(4, 20)]])
    }

    func line(_ s: PenSample) -> String {
        #"{"label":"\#(s.label)","site":"\#(s.site)","writer":"\#(s.writer)","strokes":[[[0,0],[10,0],[4,20]]]}"#
    }

    func testSplitIsByWriterAndLimitsApplyPerPart() throws {
        let samples = [sample("1", training[0]), sample("2", heldOut[0]), sample("3", training[1]),
                       sample("4", heldOut[1]), sample("5", training[0]), sample("6", heldOut[0])]
        let dir = NSTemporaryDirectory() + "pen-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: "\(dir)/\(PenDigits.file)", contents: Data(samples.map(line).joined(separator: "\n").utf8))
        XCTAssertTrue(PenDigits.hasFiles(in: dir))
        XCTAssertTrue(Dataset.unipen.present(in: dir))

        let parts = try PenDigits.loadSplit(from: dir)
        XCTAssertEqual(parts.train?.images.labels, [1, 3, 5])
        XCTAssertEqual(parts.test.images.labels, [2, 4, 6])
        XCTAssertTrue(parts.test.writers.allSatisfy { heldOut.contains($0) })
        XCTAssertTrue(parts.train!.writers.allSatisfy { training.contains($0) })

        let limited = try PenDigits.loadSplit(from: dir, trainLimit: 1, testLimit: 2)
        XCTAssertEqual(limited.train?.images.labels, [1])
        XCTAssertEqual(limited.test.images.labels, [2, 4])
        XCTAssertEqual(try PenDigits.loadSplit(from: dir, testLimit: 1, needTrain: false).test.images.labels, [2])
        XCTAssertEqual(try PenDigits.load(from: dir, writers: .all).count, 6)

        let viaDataset = try Dataset.unipen.load(from: dir, penBrushRadius: 3)
        XCTAssertEqual(viaDataset.test.labels, [2, 4, 6])
        XCTAssertEqual(viaDataset.test.shape, Shape(28, 28, 1))

        // A file without any held-out writer has no test set: said, not an empty score.
        FileManager.default.createFile(atPath: "\(dir)/\(PenDigits.file)", contents: Data(line(samples[0]).utf8))
        XCTAssertThrowsError(try PenDigits.loadSplit(from: dir)) {
            XCTAssertEqual("\($0)", "\(dir)/\(PenDigits.file): no samples of held-out writers")
        }
    }

    func testImagesAreTheAppsInputAtTheGivenBrush() throws {
        let s = sample("7", "w")
        let thin = PenDigits([s], brushRadius: 0.6), thick = PenDigits([s], brushRadius: 3)
        XCTAssertEqual(thin.images.image(0), s.input(brushRadius: 0.6))
        XCTAssertNotEqual(s.input(brushRadius: 0.6), s.input(brushRadius: 3))
        XCTAssertEqual(thick.count, 1)
        // A label that is not a digit has no class: counted, not guessed.
        XCTAssertEqual(PenDigits([sample("a", "w"), s]).blank, 1)
    }

    func testScoresPerSiteAndWriterWorstFirst() {
        var d = PenDigits([sample("1", "a"), sample("2", "a"), sample("3", "b"), sample("4", "b"), sample("5", "c")])
        d.sites[4] = "t"
        let (sites, writers) = d.scores(predictions: [1, 2, 3, 0, 0])
        XCTAssertEqual(writers, [PenScore(name: "t/c", count: 1, correct: 0), PenScore(name: "s/b", count: 2, correct: 1),
                                 PenScore(name: "s/a", count: 2, correct: 2)])
        XCTAssertEqual(sites, [PenScore(name: "t", count: 1, correct: 0), PenScore(name: "s", count: 4, correct: 3)])
        XCTAssertEqual(sites[1].accuracy, 0.75)
    }
}
