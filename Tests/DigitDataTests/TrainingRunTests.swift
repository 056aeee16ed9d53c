import XCTest
@testable import ConvNet
@testable import DigitData

/// The one training run and the one metadata type: what the CLI and the app
/// both write, and the one number formatter.
final class TrainingRunTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "digits-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        for (prefix, n) in [("train", 40), ("t10k", 10)] {
            let images = be(0x0803) + be(UInt32(n)) + be(28) + be(28) + (0..<(n * 784)).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let labels = be(0x0801) + be(UInt32(n)) + (0..<n).map { UInt8($0 % 10) }
            try Data(images).write(to: URL(fileURLWithPath: "\(dir!)/\(prefix)-images-idx3-ubyte"))
            try Data(labels).write(to: URL(fileURLWithPath: "\(dir!)/\(prefix)-labels-idx1-ubyte"))
        }
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A run trained as the app does (no checkpoint files) records its full
    /// settings, and they read back equal through the one decoder.
    func testAppStyleRunRecordsItsSettings() throws {
        var s = TrainingSettings()
        s.epochs = 1; s.batchSize = 16; s.optimizer = .sgd; s.learningRate = 0.0015; s.momentum = 0.9
        s.validationSplit = 0.25; s.seed = 77; s.initializer = .he
        let run = try TrainingRun(plan: .init(model: "seed003", dataset: .mnist, dataOption: dir, settings: s,
                                              trainedIn: "digits draw (menu: Retrain)"))
        XCTAssertEqual(run.train.count, 30)
        XCTAssertEqual(run.validation?.count, 10)
        XCTAssertEqual(try run.run(files: nil), .finished)
        let meta = run.finalMetadata(Evaluation(network: run.network, data: run.test))
        let path = dir + "/app.safetensors"
        try WeightsFile.save(run.network, metadata: meta.pairs, to: path)
        let back = try WeightsMetadata(try Safetensors.read(path), path: path)
        XCTAssertEqual(back.settings, s)
        XCTAssertEqual(back.dataset, "mnist")
        XCTAssertEqual(back.trainedIn, "digits draw (menu: Retrain)")
        XCTAssertEqual(back.epochsTrained, 1)
    }

    func testRunRefusesBadSettingsAndEmptyData() {
        var s = TrainingSettings()
        s.validationSplit = 5
        XCTAssertThrowsError(try TrainingRun(plan: .init(model: "seed003", dataset: .mnist, dataOption: dir, settings: s))) {
            XCTAssertEqual("\($0)", "--val-split must be a number in [0, 1)")
        }
        XCTAssertThrowsError(try TrainingRun(plan: .init(model: "seed003", dataset: .mnist, dataOption: dir, holdout: 0.999))) {
            XCTAssertTrue($0 is TrainingDataError, "\($0)")
        }
    }

    func testSettingsDecoderChecksEveryField() {
        let good = WeightsMetadata.encode(TrainingSettings())
        XCTAssertEqual(try WeightsMetadata.decodeSettings(good), TrainingSettings())
        for (field, value) in [("epochs", "1e300"), ("epochs", "0"), ("batch_size", "0.5"), ("batch_size", "-1"),
                               ("validation_split", "5"), ("learning_rate", "-1"), ("learning_rate", "1e39"),
                               ("momentum", "1"), ("learning_rate_decay", "0"), ("optimizer", "\"rmsprop\""),
                               ("seed", "\"-1\""), ("augment", "1"), ("initializer", "3")] {
            let text = good.replacingOccurrences(of: "\"\(field)\":", with: "\"x\":") .dropLast() + ",\"\(field)\":\(value)}"
            XCTAssertThrowsError(try WeightsMetadata.decodeSettings(String(text)), "\(field)=\(value)")
        }
    }

    func testOneFormatter() {
        XCTAssertEqual(Format.thousands(197_482), "197,482")
        XCTAssertEqual(Format.thousands(-1_234_567), "-1,234,567")
        XCTAssertEqual(Format.duration(3725), "1h02m")
        XCTAssertEqual(Format.duration(65), "1m05s")
        XCTAssertEqual(Format.duration(.nan), "–")
        XCTAssertEqual(Format.fixed(2.0 / 3, 2), "0.67")
        XCTAssertEqual(Format.fixed(.infinity, 2), "–")
        XCTAssertEqual(Format.percent(0.98765), "98.77 %")
    }
}
