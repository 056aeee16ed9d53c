import ConvNet
import DigitData

/// Labelling drawings in the app: a digit key stores the drawing as a sample of
/// that digit in your samples folder (`SampleStore`): the 28×28 image the network
/// sees (`DrawingInput.prepare`, the one path) and the pen strokes that made it.
/// "saved" is said only once the store has made it durable.
public final class SampleLabels {
    /// Where samples go; nil (the app built by tests) stores nothing.
    public var store: SampleStore?
    /// How many samples of each digit the folder holds.
    public private(set) var counts = [Int](repeating: 0, count: 10)
    /// The samples saved in this session, newest last: U takes them back one by one.
    public private(set) var savedThisSession: [Sample] = []

    public init(store: SampleStore? = nil) { self.store = store }

    /// "0:3 1:2 2:0 …": every digit, so the gaps show.
    public var countsText: String { counts.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " ") }

    /// The hint under the canvas once there are samples: how many of each digit.
    public var summaryLine: String? {
        store == nil || counts.allSatisfy({ $0 == 0 }) ? nil : "your samples: \(countsText)"
    }

    func update(_ set: SampleSet) { counts = set.counts }
    func saved(_ s: Sample, _ set: SampleSet) { savedThisSession.append(s); counts = set.counts }
    func removed() { savedThisSession.removeLast() }
}

extension App {
    /// Reads the samples folder at start: its counts, and a damaged folder's one
    /// line as a notice (the app starts all the same, with the good samples).
    public func loadSamples() {
        guard let store = samples.store else { return }
        do {
            let set = try store.read()
            samples.update(set)
            if let p = set.problem { notice = (p.escapedForMessage(limit: 400), true) }
        } catch {
            notice = ("samples: \("\(error)".escapedForMessage(limit: 400))", true)
        }
    }

    /// L (the footer's and the menu's way in): says how labelling goes.
    func askForLabel() {
        notice = ("press the digit this drawing is, 0–9: it is saved as your sample (U undoes); yours: \(samples.countsText)", false)
    }

    /// A digit key: stores the drawing as a sample of `digit`, then clears the
    /// canvas for the next one (u brings the drawing back).
    func labelDrawing(_ digit: Int) {
        guard let store = samples.store else { notice = ("no samples folder: samples are kept only in `digits draw`", true); return }
        guard let input = DrawingInput.prepare(canvas) else { notice = ("nothing to label: draw a digit first, then press its key", true); return }
        if penDown { penDown = false; endStroke() }
        let recording = canvas.recording
        do {
            let sample = try Sample(label: digit, input: input.pixels, strokes: recording.isFaithful ? recording.strokes : [])
            let set = try store.add([sample])
            samples.saved(sample, set)
            // Cleared as `c` clears: the belief strip starts afresh for the next drawing.
            clearCanvas()
            notice = ("saved as a \(digit)\(recording.isFaithful ? "" : " (its image only: the eraser was used)"); yours: \(samples.countsText) · U undoes", false)
        } catch {
            notice = ("not saved: \("\(error)".escapedForMessage(limit: 400))", true)
        }
    }

    /// U: takes back the last sample saved in this session (by its id, so a sample
    /// another window saved since is left alone).
    func undoLastSample() {
        guard let store = samples.store, let last = samples.savedThisSession.last else { return }
        do {
            let removed = try store.remove(id: last.id)
            samples.removed()
            samples.update(try store.read())
            notice = (removed == nil ? "that sample was already gone; yours: \(samples.countsText)"
                                     : "took back the \(last.label); yours: \(samples.countsText)", false)
        } catch {
            notice = ("not undone: \("\(error)".escapedForMessage(limit: 400))", true)
        }
    }
}
