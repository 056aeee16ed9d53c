import XCTest
import Foundation
import ConvNet
@testable import DigitData
@testable import DigitTUI

/// The brush size the status line calls "thicker than the model reads well"
/// (`App.thickestWellReadBrush`), checked on pen digits (UNIPEN, $DIGITS_DATA/unipen)
/// drawn through the app's own canvas and reading: up to the limit the shipped
/// model reads them as well as with the default brush; well above it, worse.
/// Measured on every 4th digit (2,133): 2.0 px 96.6 %, 2.8 px 96.7 %, 3.2–4.0 px
/// 96.7 %, 4.4 px 96.4 %, 5.0 px 95.6 %, 6.0 px 91.6 %.
final class BrushLimitTests: XCTestCase {
    func testTheModelReadsPenDigitsAsWellUpToTheBrushLimit() throws {
        guard let data = ProcessInfo.processInfo.environment["DIGITS_DATA"], !data.isEmpty else { throw XCTSkip("set DIGITS_DATA (with unipen/digits.jsonl.gz) to measure the brush limit") }
        let file = data + "/unipen/digits.jsonl.gz"
        guard let handle = FileHandle(forReadingAtPath: file) else { throw XCTSkip("no \(file)") }
        let gz = [UInt8](handle.readDataToEndOfFile())
        let text = String(decoding: try Gzip.decompress(gz, limit: 256 << 20, path: file), as: UTF8.self)
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/assets/digitnet.safetensors"
        let model = try LiveModel.load(weights)
        // Every 8th digit, each drawn 20 px tall in the middle of the canvas, stroke by stroke.
        var samples: [(label: Int, strokes: [[(Float, Float)]])] = []
        for (i, line) in text.split(separator: "\n").enumerated() where i % 8 == 0 {
            let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let label = try XCTUnwrap((o["label"] as? String).flatMap { Int($0) })
            let strokes = try XCTUnwrap(o["strokes"] as? [[[Double]]]).map { $0.map { (Float($0[0]), Float($0[1])) } }
            samples.append((label, strokes.filter { !$0.isEmpty }))
        }
        func accuracy(diameter: Float) -> Double {
            var right = 0
            for (label, strokes) in samples {
                var canvas = Canvas()
                canvas.brushRadius = diameter / 2
                let xs = strokes.flatMap { $0.map(\.0) }, ys = strokes.flatMap { $0.map(\.1) }
                guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { continue }
                let s = 20 / max(x1 - x0, y1 - y0, 1)
                let ox = 14 - (x1 + x0) / 2 * s, oy = 14 - (y1 + y0) / 2 * s
                for stroke in strokes {
                    canvas.begin(at: stroke[0].0 * s + ox, stroke[0].1 * s + oy)
                    for p in stroke.dropFirst() { canvas.extend(to: p.0 * s + ox, p.1 * s + oy) }
                    canvas.end()
                }
                if model.read(canvas)?.top == label { right += 1 }
            }
            return Double(right) / Double(samples.count)
        }
        let standard = accuracy(diameter: 2.8), atLimit = accuracy(diameter: App.thickestWellReadBrush), thick = accuracy(diameter: 6)
        print("pen digits read (\(samples.count)): 2.8 px \(standard), \(App.thickestWellReadBrush) px \(atLimit), 6 px \(thick)")
        XCTAssertGreaterThanOrEqual(atLimit, standard - 0.01, "the brush limit already costs accuracy")
        XCTAssertLessThan(thick, standard - 0.02, "a 6 px brush costs nothing: the warning would be wrong")
    }
}
