import ConvNet
import Glibc

/// Pen digits of the training writers and "not a digit" drawings, drawn afresh
/// every time they are used, through the app's own path (`PenSample.input`:
/// `Canvas.drawing` + `DrawingInput.prepare`), with a brush drawn from the
/// app's whole range and a random stretch, so that every brush reads alike.
///
/// An epoch holds each pen digit `penDigits` times, then `negatives` drawings
/// labelled 10: half pen-written letters of the training writers (not the
/// digit-like ones, `PenStrokes.digitLikeLetters`), a tenth the start of a pen
/// digit (an abandoned drawing), the rest made up (`NotADigitDrawings`).
struct PenMix: ExampleSource {
    let shape = TrainingMix.shape
    let digits: [PenSample], digitLabels: [Int32]
    let copies: Int
    let letters: [PenSample]
    let negatives: Int
    /// Bends each drawn path (`--pen-warp`); nil draws them as written.
    let warp: PenWarp?

    /// Drawn widths relative to the drawing: ±25 % on one axis against the other.
    static let maxStretch: Float = 0.25
    /// Shares of the negatives.
    static let letterShare: Float = 0.5, partialShare: Float = 0.1

    init(settings s: TrainingSettings, dataOption: String?) throws {
        let dir = try DataLocator.directory(for: .unipen, option: dataOption)
        let training = { (site: String, writer: String) in !WriterSplit.isHeldOut(site: site, writer: writer) }
        digits = try PenStrokes.read("\(dir)/\(PenStrokes.digitsFile)", labels: .digits, keep: training)
            .filter { $0.digit != nil && $0.input() != nil }
        digitLabels = digits.map { Int32($0.digit!) }
        copies = s.penDigits
        negatives = s.negatives
        warp = s.penWarp > 0 ? PenWarp(amount: s.penWarp) : nil
        letters = s.negatives == 0 ? [] : try PenStrokes.read("\(dir)/\(PenStrokes.lettersFile)", labels: .letters, keep: training)
            .filter { PenStrokes.countsAsNotADigit($0.label) && $0.input() != nil }
        guard !digits.isEmpty else { throw TrainingDataError("\(dir)/\(PenStrokes.digitsFile) holds no pen digit of a training writer") }
    }

    var penCount: Int { digits.count * copies }
    var count: Int { penCount + negatives }

    func label(_ i: Int) -> Int32 { i < penCount ? digitLabels[i % digits.count] : 10 }

    func render(_ i: Int, into image: UnsafeMutablePointer<Float>, rng: inout RNG) {
        let pixels = i < penCount ? draw(digits[i % digits.count].strokes, rng: &rng) : negative(rng: &rng)
        if let p = pixels { image.update(from: p, count: shape.count) } else { image.update(repeating: 0, count: shape.count) }
    }

    func negative(rng: inout RNG) -> [Float]? {
        let u = rng.uniform()
        if u < Self.letterShare && !letters.isEmpty {
            return draw(letters[rng.below(letters.count)].strokes, rng: &rng)
        }
        if u < Self.letterShare + Self.partialShare {
            // A 1 cut short is still a 1.
            var s = digits[rng.below(digits.count)]
            while s.digit == 1 { s = digits[rng.below(digits.count)] }
            return draw(NotADigitDrawings.partial(s.strokes, share: rng.uniform(0.15, 0.45)), rng: &rng)
        }
        let kinds = NotADigitDrawings.Kind.allCases
        let canvas = NotADigitDrawings.canvas(kinds[rng.below(kinds.count)], rng: &rng)
        return DrawingInput.prepare(canvas)?.pixels
    }

    /// Pen strokes bent as another writer might have written them (when `warp`),
    /// then drawn by `draw(_:rng:)`: a run without a warp draws exactly as before.
    func draw(_ strokes: [[PenSample.Point]], rng: inout RNG) -> [Float]? {
        guard let warp else { return Self.draw(strokes, rng: &rng) }
        return Self.draw(warp.apply(strokes, rng: &rng), rng: &rng)
    }

    /// Pen strokes as the app draws them, with a random brush and stretch. The
    /// radius is drawn as lo + (hi − lo)·√u, so thick brushes (whose drawings lose
    /// their holes and read hardest: 94.9 % at 6 px against 98.4 % at 1.2 px with
    /// a uniform draw) come up more often: 44 % of drawings above 4.8 px, not 25 %.
    static func draw(_ strokes: [[PenSample.Point]], rng: inout RNG) -> [Float]? {
        let (lo, hi) = (Canvas.brushRange.lowerBound, Canvas.brushRange.upperBound)
        let radius = lo + (hi - lo) * rng.uniform().squareRoot()
        let a = rng.uniform(-maxStretch, maxStretch)
        let sample = PenSample(label: "", site: "", writer: "", strokes: strokes)
        return sample.input(brushRadius: radius, stretch: (x: expf(a), y: expf(-a)))
    }
}
