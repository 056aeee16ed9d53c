import XCTest
import Foundation
import ConvNet
@testable import DigitData
@testable import DigitTUI

/// The brush size the status line calls "thicker than the model reads well"
/// (`App.thickestWellReadBrush`) is a measurement of the shipped model, taken
/// here: held-out writers' pen digits (UNIPEN, $DIGITS_DATA/unipen, every other
/// one) drawn through the app's canvas (`Canvas.drawing`) with each brush the app
/// offers from the default up, prepared as the app prepares it (`DrawingInput.prepare`) and read. The
/// limit is the thickest brush up to which every brush reads within one point of
/// the default. A model that reads every brush alike moves it to the top of the
/// range (6 px), and the warning never shows: this test then says what to set.
final class BrushLimitTests: XCTestCase {
    /// One point of accuracy.
    static let tolerance = 0.01

    func testTheBrushLimitIsTheMeasuredOne() throws {
        guard let data = ProcessInfo.processInfo.environment["DIGITS_DATA"], !data.isEmpty else { throw XCTSkip("set DIGITS_DATA (with unipen/digits.jsonl.gz) to measure the brush limit") }
        let file = data + "/unipen/" + PenStrokes.digitsFile
        guard FileManager.default.fileExists(atPath: file) else { throw XCTSkip("no \(file)") }
        let held = try PenStrokes.read(file, labels: .digits, keep: WriterSplit.isHeldOut)
        let samples = held.indices.filter { $0 % 2 == 0 }.map { held[$0] }
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/assets/digitnet.safetensors"
        let network = try WeightsFile.load(weights).network
        // Each sample as the app turns a drawing into the network's input
        // (`PenSample.input`: Canvas.drawing, DrawingInput.prepare), all in one batch.
        func accuracy(diameter: Float) -> Double {
            let inputs = samples.map { $0.input(brushRadius: diameter / 2) ?? [Float](repeating: 0, count: 28 * 28) }
            let p = network.predict(inputs.flatMap { $0 }, count: inputs.count), k = network.classes
            let right = samples.indices.filter { i in (0..<k).max { p[i * k + $0] < p[i * k + $1] } == samples[i].digit }.count
            return Double(right) / Double(samples.count)
        }
        // The app's sizes: radius steps of 0.2 px (App.changeBrush), from the default to the top.
        let standardDiameter = Canvas().brushRadius * 2
        let sizes = stride(from: standardDiameter, through: Canvas.brushRange.upperBound * 2 + 0.001, by: 0.4).map { $0 }
        let standard = accuracy(diameter: standardDiameter)
        var limit = standardDiameter, table: [String] = []
        var within = true
        for d in sizes {
            let a = d == standardDiameter ? standard : accuracy(diameter: d)
            table.append(String(format: "%.1f px %.2f %%", d, 100 * a))
            within = within && a >= standard - Self.tolerance
            if within { limit = d }
        }
        let measured = String(format: "pen digits of held-out writers (%d), read with each brush: %@; within a point of the default up to %.1f px",
                              samples.count, table.joined(separator: ", "), limit)
        print(measured)
        XCTAssertEqual(App.thickestWellReadBrush, limit, accuracy: 0.001, "set App.thickestWellReadBrush to \(limit): \(measured)")
    }
}
