import ConvNet

/// The measure of a verdict model on pen-written letters (issue 13): the share of
/// them that do NOT get `digit`, per letter and overall. The letters are the
/// held-out writers' (`WriterSplit`) of `unipen/letters.jsonl.gz`, each drawn and
/// prepared as the app would (`PenSample.input`), without the letters that look
/// like digits (`PenStrokes.digitLikeLetters`): reading those as digits is no error.
public struct LetterRejection: Sendable {
    public static let file = PenStrokes.lettersFile

    /// Per letter, in the order A…Z, a…z.
    public let perLetter: [(letter: String, tally: VerdictTally)]
    public let overall: VerdictTally
    /// Samples that left (almost) no ink on the canvas: the app would read nothing.
    public let blank: Int

    public static func hasFiles(in dir: String) -> Bool { isRegularFile("\(dir)/\(file)") }

    /// The held-out writers' letters in `dir`, the digit-like ones left out; the
    /// first `limit` of them.
    public static func samples(in dir: String, limit: Int? = nil) throws -> [PenSample] {
        let path = "\(dir)/\(file)"
        var kept: [PenSample] = []
        // The reader's limit counts the samples it keeps; the digit-like letters go after.
        for s in try PenStrokes.read(path, labels: .letters, keep: { WriterSplit.isHeldOut(site: $0, writer: $1) })
        where PenStrokes.countsAsNotADigit(s.label) {
            kept.append(s)
            if let l = limit, kept.count >= l { break }
        }
        guard !kept.isEmpty else { throw FileError(path, "no letters of held-out writers that do not look like digits") }
        return kept
    }

    /// Reads every sample with `network`, whose "not a digit" output is `notADigitClass`.
    public init(_ network: Network, notADigitClass: Int, samples: [PenSample]) {
        var pixels: [Float] = [], letters: [String] = []
        var blank = 0
        for s in samples {
            guard let input = s.input() else { blank += 1; continue }
            pixels += input
            letters.append(s.label)
        }
        let images = LabeledImages(shape: Shape(Canvas.size, Canvas.size, 1), images: pixels,
                                   labels: [Int32](repeating: Int32(notADigitClass), count: letters.count))
        var byLetter: [String: VerdictTally] = [:], overall = VerdictTally()
        VerdictTally.forEachReading(network, on: images, notADigitClass: notADigitClass) { i, r in
            byLetter[letters[i], default: VerdictTally()].add(r, label: nil)
            overall.add(r, label: nil)
        }
        perLetter = byLetter.keys.sorted().map { ($0, byLetter[$0]!) }
        self.overall = overall
        self.blank = blank
    }
}

/// `--dataset letters` anywhere but `digits eval`: the letters are no digits to
/// train, validate or cross-validate on.
public struct LettersAreNotDigits: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String {
        "--dataset letters holds no digits: it is only for `digits eval` (how many letters a verdict model does not take for digits)"
    }
}
