import XCTest
import ConvNet
@testable import DigitData

/// The shipped model (assets/digitnet.safetensors, or $DIGITS_WEIGHTS) against the
/// targets of issues 12 and 13, on data it never trained on: MNIST test; pen
/// digits of the held-out writers drawn through the app's path at four brushes;
/// held-out writers' letters that are not digit-like. Prints the measurements.
/// Needs $DIGITS_DATA (skipped without it).
final class ShippedModelTests: XCTestCase {
    var weightsPath: String {
        if let w = ProcessInfo.processInfo.environment["DIGITS_WEIGHTS"], !w.isEmpty { return w }
        // Tests/DigitDataTests/ShippedModelTests.swift → assets/
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/digitnet.safetensors").path
    }

    func data() throws -> String {
        guard let d = ProcessInfo.processInfo.environment["DIGITS_DATA"], !d.isEmpty else {
            throw XCTSkip("DIGITS_DATA is not set: the shipped model is not measured")
        }
        return d
    }

    struct Tally: CustomStringConvertible {
        var count = 0, right = 0, digit = 0, rightAmongDigit = 0
        var accuracy: Double { Double(right) / Double(max(count, 1)) }
        var accepted: Double { Double(digit) / Double(max(count, 1)) }
        var acceptedAccuracy: Double { Double(rightAmongDigit) / Double(max(digit, 1)) }
        var description: String {
            "\(count) images: \(Format.percent(accuracy)) right, \(Format.percent(accepted)) get `digit`, \(Format.percent(acceptedAccuracy)) right among those"
        }
    }

    func tally(_ net: Network, _ images: [Float], labels: [Int32]?, notADigitClass: Int) -> Tally {
        let k = net.classes, n = images.count / 784
        let p = net.predict(images, count: n)
        var t = Tally()
        for i in 0..<n {
            let row = Array(p[(i * k)..<((i + 1) * k)])
            let answer = Answer.digit(row, notADigitClass: notADigitClass)
            let isDigit = Verdict.of(row, notADigitClass: notADigitClass) == .digit
            t.count += 1
            if isDigit { t.digit += 1 }
            if let l = labels, answer == Int(l[i]) { t.right += 1; if isDigit { t.rightAmongDigit += 1 } }
        }
        return t
    }

    func testShippedModelMeetsTheIssuesTargets() throws {
        let dir = try data()
        let (net, file) = try WeightsFile.load(weightsPath)
        let meta = try WeightsMetadata(file, path: weightsPath)
        let none = try XCTUnwrap(meta.notADigitClass, "the shipped model has a \"not a digit\" output")
        XCTAssertEqual(none, net.classes - 1)

        let mnist = try MNIST.load(.test, from: DataLocator.directory(for: .mnist, option: dir))
        let m = tally(net, mnist.floatImages(), labels: mnist.labels, notADigitClass: none)
        print("MNIST test: \(m)")
        XCTAssertGreaterThanOrEqual(m.accuracy, 0.9970)
        XCTAssertGreaterThanOrEqual(m.accepted, 0.99)
        XCTAssertGreaterThanOrEqual(m.acceptedAccuracy, 0.9962)

        let unipen = try DataLocator.directory(for: .unipen, option: dir)
        for diameter: Float in [1.2, 2.8, 4, 6] {
            let pen = try PenDigits.load(from: unipen, writers: .heldOut, brushRadius: diameter / 2)
            let t = tally(net, pen.images.floatImages(), labels: pen.images.labels, notADigitClass: none)
            print("held-out pen digits, brush \(diameter) px: \(t)")
            XCTAssertGreaterThanOrEqual(t.accuracy, diameter == 2.8 ? 0.99 : 0.98, "brush \(diameter)")
            if diameter == 2.8 { XCTAssertGreaterThanOrEqual(t.accepted, 0.99) }
        }

        let letters = try PenStrokes.read(unipen + "/" + PenStrokes.lettersFile, labels: .letters) {
            WriterSplit.isHeldOut(site: $0, writer: $1)
        }.filter { PenStrokes.countsAsNotADigit($0.label) }
        let inputs = letters.compactMap { $0.input() }
        let l = tally(net, inputs.flatMap { $0 }, labels: nil, notADigitClass: none)
        let refused = 1 - l.accepted
        print("held-out letters (not digit-like): \(l.count) drawn, \(Format.percent(refused)) do not get `digit`")
        XCTAssertGreaterThanOrEqual(refused, 0.95)
    }
}
