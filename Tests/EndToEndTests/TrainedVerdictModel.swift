import Foundation
import XCTest
import ConvNet
import DigitData

/// A small verdict model that the tests train themselves, once per run: MNIST
/// training digits (0–9) and the training writers' pen-written letters, not the
/// digit-like ones, as "not a digit" (output 10), drawn as the app draws
/// (`PenSample.input`). Small and quick, not the shipped model: it is there so that
/// a letter drawn in the app really is rejected by a model, and a digit accepted.
enum TrainedVerdictModel {
    /// Eight 3×3 filters: quick to train on a loaded machine (about a minute).
    static let spec = "in28x28x1-conv8k3-relu-pool2-flatten-dense32-relu-dense11"

    /// The weights file, trained on first use; skips the test when $DIGITS_DATA lacks MNIST or the pen letters.
    static func path() throws -> String {
        if let p = cached.path { return p }
        guard let data = Binary.dataDirectory,
              let mnist = try? DataLocator.directory(for: .mnist, option: data),
              isRegularFile("\(data)/unipen/\(PenStrokes.lettersFile)") else {
            throw XCTSkip("set DIGITS_DATA to a directory with MNIST and unipen/\(PenStrokes.lettersFile) to train the test's verdict model")
        }
        let digits = try MNIST.load(.train, from: mnist, limit: 4000)
        var pixels: [Float] = []
        var letters = 0
        let samples = try PenStrokes.read("\(data)/unipen/\(PenStrokes.lettersFile)", labels: .letters, limit: 5000) {
            !WriterSplit.isHeldOut(site: $0, writer: $1)
        }
        for s in samples where PenStrokes.countsAsNotADigit(s.label) {
            guard let input = s.input() else { continue }
            pixels += input
            letters += 1
        }
        let negatives = LabeledImages(shape: digits.shape, images: pixels, labels: [Int32](repeating: 10, count: letters))
        let train = digits.appending(negatives)
        let net = try Network(spec: spec)
        var settings = TrainingSettings()
        settings.epochs = 3
        settings.seed = 7
        try net.check(train, role: "training")
        _ = Trainer(network: net, settings: settings).run(train: train, validation: nil)
        let path = NSTemporaryDirectory() + "digits-verdict-model-\(UUID().uuidString.prefix(8)).safetensors"
        try WeightsFile.save(net, metadata: [("not_a_digit_class", "10")], to: path)
        cached.path = path
        return path
    }

    /// Deletes the trained file (the test class's tearDown).
    static func remove() {
        if let p = cached.path { try? FileManager.default.removeItem(atPath: p) }
        cached.path = nil
    }

    private final class Cache: @unchecked Sendable { var path: String? }
    private static let cached = Cache()

    /// The pixels (canvas units) of `sample`'s strokes as the app's replay puts them
    /// (`Canvas.drawing`'s transform: longer side `Canvas.replayHeight`, centred).
    static func canvasStrokes(_ sample: PenSample) -> [[(Double, Double)]] {
        let points = sample.strokes.flatMap { $0 }
        let x0 = points.map(\.x).min()!, x1 = points.map(\.x).max()!, y0 = points.map(\.y).min()!, y1 = points.map(\.y).max()!
        let s = Canvas.replayHeight / max(x1 - x0, y1 - y0, 1)
        let c = Float(Canvas.size) / 2
        let ox = c - (x1 + x0) / 2 * s, oy = c - (y1 + y0) / 2 * s
        return sample.strokes.filter { !$0.isEmpty }.map { $0.map { (Double($0.x * s + ox), Double($0.y * s + oy)) } }
    }

    /// What the app reads for `strokes` sent as mouse drags on the full layout's
    /// canvas (each point lands on the centre of its screen cell: half a pixel
    /// across, one pixel down), through the app's one canvas→input path.
    static func readAsDragged(_ strokes: [[(Double, Double)]], by network: Network) -> DigitReading? {
        var canvas = Canvas()
        for stroke in strokes {
            let cells = stroke.map { (Float(Int($0.0 * 2)) / 2 + 0.25, Float(Int($0.1)) + 0.5) }
            canvas.begin(at: cells[0].0, cells[0].1)
            for p in cells.dropFirst() { canvas.extend(to: p.0, p.1) }
            canvas.end()
        }
        guard let input = DrawingInput.prepare(canvas)?.pixels else { return nil }
        return DigitReading(network.predict(input, count: 1), notADigitClass: 10)
    }
}
