import ConvNet

/// The pen-stroke digits (`unipen/digits.jsonl.gz`) as a data set of network
/// inputs: each sample drawn on the app's canvas with the app's brush and
/// prepared as the app prepares a drawing (`PenSample.input`). Split by writer,
/// never by sample (`WriterSplit`): training on the writers not held out, testing
/// on the held-out ones. Each image keeps its site and writer, for per-writer reports.
public struct PenDigits: Sendable {
    /// Which writers a part holds.
    public enum Writers: String, Sendable {
        /// The writers a model may train on (`WriterSplit.isHeldOut` false).
        case training
        /// The writers kept apart for testing.
        case heldOut = "held-out"
        case all

        public func includes(site: String, writer: String) -> Bool {
            switch self {
            case .training: !WriterSplit.isHeldOut(site: site, writer: writer)
            case .heldOut: WriterSplit.isHeldOut(site: site, writer: writer)
            case .all: true
            }
        }
    }

    public static let file = PenStrokes.digitsFile
    /// The app's own brush (its diameter is 2 × this, 2.8 px).
    public static let defaultBrushRadius = Canvas().brushRadius
    /// The brush radii a pen drawing may be replayed with: the app's own range.
    public static let brushRadii = Canvas.brushRange

    public var images: LabeledImages
    /// The site and writer of each image, in order.
    public var sites: [String], writers: [String]
    /// Samples that left (almost) no ink on the canvas, as the app would read
    /// nothing for them: not among `images`, counted so a report can say so.
    public var blank: Int

    public var count: Int { images.count }

    public static func hasFiles(in dir: String) -> Bool { isRegularFile("\(dir)/\(file)") }

    /// Rasterises `samples` (digit labels) with `brushRadius`.
    public init(_ samples: [PenSample], brushRadius: Float = defaultBrushRadius) {
        var pixels: [Float] = [], labels: [Int32] = []
        var sites: [String] = [], writers: [String] = []
        var blank = 0
        pixels.reserveCapacity(samples.count * Canvas.size * Canvas.size)
        for s in samples {
            guard let digit = s.digit, let input = s.input(brushRadius: brushRadius) else { blank += 1; continue }
            pixels += input
            labels.append(Int32(digit))
            sites.append(s.site); writers.append(s.writer)
        }
        images = LabeledImages(shape: Shape(Canvas.size, Canvas.size, 1), images: pixels, labels: labels)
        self.sites = sites; self.writers = writers; self.blank = blank
    }

    /// One part of the file in `dir`: the first `limit` samples of `writers`.
    public static func load(from dir: String, writers: Writers, brushRadius: Float = defaultBrushRadius,
                            limit: Int? = nil) throws -> PenDigits {
        let samples = try PenStrokes.read("\(dir)/\(file)", labels: .digits, limit: limit) {
            writers.includes(site: $0, writer: $1)
        }
        try requireSome(samples, writers, in: dir)
        return PenDigits(samples, brushRadius: brushRadius)
    }

    /// A part with no sample is no data set to train or score on.
    static func requireSome(_ samples: [PenSample], _ writers: Writers, in dir: String) throws {
        guard samples.isEmpty else { return }
        throw FileError("\(dir)/\(file)", "no samples of \(writers == .all ? "any" : writers.rawValue) writers")
    }

    /// The training and held-out parts, the file read once when both are needed.
    public static func loadSplit(from dir: String, brushRadius: Float = defaultBrushRadius, trainLimit: Int? = nil,
                                 testLimit: Int? = nil, needTrain: Bool = true) throws -> (train: PenDigits?, test: PenDigits) {
        guard needTrain else { return (nil, try load(from: dir, writers: .heldOut, brushRadius: brushRadius, limit: testLimit)) }
        let all = try PenStrokes.read("\(dir)/\(file)", labels: .digits)
        var train: [PenSample] = [], test: [PenSample] = []
        for s in all {
            if Writers.heldOut.includes(site: s.site, writer: s.writer) {
                if test.count < testLimit ?? Int.max { test.append(s) }
            } else if train.count < trainLimit ?? Int.max {
                train.append(s)
            }
        }
        try requireSome(test, .heldOut, in: dir)
        return (PenDigits(train, brushRadius: brushRadius), PenDigits(test, brushRadius: brushRadius))
    }
}
