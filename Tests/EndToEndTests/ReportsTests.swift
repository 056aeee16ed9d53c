import Foundation
import XCTest
@testable import DigitData

/// The seed notebooks' steps from the command line: presets, cross-validation,
/// and the pictures (which must be real PNG files of sensible size).
final class ReportsTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        guard Binary.dataDirectory != nil else { throw XCTSkip("set DIGITS_DATA to run the report tests") }
        dir = try temporaryDirectory()
    }
    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    func assertPNG(_ path: String, minWidth: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let img = try ImageIO.read(path)
        XCTAssertGreaterThanOrEqual(img.width, minWidth, path, file: file, line: line)
        let drawn = img.pixels.filter { $0 < 0.9 }.count
        XCTAssertGreaterThan(Double(drawn) / Double(img.pixels.count), 0.005, "\(path) is (nearly) blank", file: file, line: line)
    }

    func testCrossValidationOnOptdigits() throws {
        let r = try Binary.run(["cv", "--model", "seed002", "--dataset", "optdigits", "--folds", "3", "--epochs", "15", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try Binary.json(r.stdout)
        XCTAssertEqual((o["fold_accuracy"] as? [Double])?.count, 3)
        XCTAssertEqual(o["examples"] as? Int, 5620)
        XCTAssertGreaterThan(o["mean_accuracy"] as? Double ?? 0, 0.9)
        XCTAssertTrue(r.stderr.contains("fold 3/3"), r.stderr)
    }

    func testPresetHoldoutAndTrainingPictures() throws {
        let out = dir + "/s2.safetensors"
        let r = try Binary.run(["train", "--preset", "seed002", "--epochs", "10", "--val-split", "0.1", "--plot", "--out", out, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("on 4047 optdigits images, testing on a stratified 20 % of the pooled data (1124), validating on 449"), r.stderr)
        XCTAssertTrue(r.stderr.contains("batch 128, adam"), r.stderr)
        let o = try Binary.json(r.stdout)
        XCTAssertEqual(o["dataset"] as? String, "optdigits")
        try assertPNG(dir + "/s2.curves.png", minWidth: 900)
        try assertPNG(dir + "/s2.samples.png", minWidth: 300)
    }

    func testEvalAndMapsPictures() throws {
        let r = try Binary.run(["eval", "--limit", "500", "--plot", "--plot-dir", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        try assertPNG(dir + "/digitnet-mnist-confusion.png", minWidth: 500)
        try assertPNG(dir + "/digitnet-mnist-errors.png", minWidth: 300)
        // A picture to map: an MNIST-like 7 drawn dark on light paper.
        var px = [UInt8](repeating: 240, count: 40 * 40)
        for x in 10..<30 { for t in 0..<3 { px[(8 + t) * 40 + x] = 20 } }
        for y in 10..<34 { for t in 0..<3 { px[y * 40 + 28 - (y - 10) / 2 + t] = 20 } }
        try ImageIO.writePNG(px, width: 40, height: 40, channels: 1, to: dir + "/seven.png")
        let m = try Binary.run(["maps", dir + "/seven.png", "--out", dir + "/maps"])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertTrue(m.stdout.hasPrefix("\(dir!)/seven.png: 7"), m.stdout)
        for f in ["input", "conv1", "conv2", "conv3", "conv4"] { try assertPNG("\(dir!)/maps/\(f).png", minWidth: 200) }
    }
}
