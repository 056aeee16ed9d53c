import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// `digits predict` on scan-style pictures (`ScanStyle`) of MNIST test digits:
/// black ink on white, stretched to fill their box, so heavy ink touches the
/// borders. Every one must be seen as dark ink on light paper (inverted), and the
/// model must read them as well as it does now.
final class ScanStyleTests: XCTestCase {
    var dir: String!

    func testSet(limit: Int?) throws -> LabeledImages {
        guard let data = Binary.dataDirectory, let mnist = try? DataLocator.directory(for: .mnist, option: data) else {
            throw XCTSkip("set DIGITS_DATA to build the scan-style pictures from MNIST")
        }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        dir = try temporaryDirectory()
        return try MNIST.load(.test, from: mnist, limit: limit)
    }

    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    /// The first 1,000 test digits. The floor guards what the shipped model reaches
    /// now (measured 2026-11-23 with assets/digitnet.safetensors: see the notes);
    /// raise it when a model trained for stretched boxes ships.
    func testTheFirstThousandScanStyleDigits() throws {
        let images = try testSet(limit: 1_000)
        let r = try ScanStyle.measure(images, count: images.count, dir: dir)
        print(r.summary)
        XCTAssertEqual(r.total, 1_000)
        // Only 1s stretched into nearly solid blocks of ink (their corners ink too)
        // may be taken for white on black: 10 of the 126 here (before the corners
        // decided, 19, and 137 of all 10,000).
        XCTAssertEqual(r.notInverted - r.notInvertedByDigit[1], 0, "black ink on white taken for white ink on black:\n\(r.summary)")
        XCTAssertLessThanOrEqual(r.notInvertedByDigit[1], 10, r.summary)
        XCTAssertGreaterThanOrEqual(r.accuracy, Self.floor, r.summary)
    }

    /// What the shipped model reads of the first 1,000 now, less a point: 96.1 % with
    /// the model of issue 12, trained with stretched boxes (the one before it: 87.2 %;
    /// all 10,000: 97.51 %, `make scan`; issue 12's target: 98 %).
    static let floor = 0.95

    /// The bench: all 10,000, with the accuracy per digit and the commonest
    /// misreads. Only with SCAN_BENCH=1 (`make scan`): it takes minutes.
    func testScanStyleBench() throws {
        guard ProcessInfo.processInfo.environment["SCAN_BENCH"] == "1" else { throw XCTSkip("the scan-style bench runs with SCAN_BENCH=1 (make scan)") }
        let images = try testSet(limit: nil)
        let started = Date()
        let r = try ScanStyle.measure(images, count: images.count, dir: dir)
        print(r.summary)
        print(String(format: "time: %.0f s (writing the pictures and reading them with %@)", Date().timeIntervalSince(started), Binary.path))
    }
}
