import ConvNet

/// What one set of class probabilities says, as every part of the product shows
/// it (the app, `digits predict`, `digits eval`): the digit is the most likely of
/// the digit outputs — every output but the "not a digit" one — and the verdict
/// is `Verdict.of`'s, for a model that has that output (else there is none).
public struct DigitReading: Sendable, Equatable {
    /// Over every output of the model, the "not a digit" one included.
    public let probabilities: [Float]
    /// The model's "not a digit" output (its last), or nil for a model without one.
    public let notADigitClass: Int?

    public init(_ probabilities: [Float], notADigitClass: Int?) {
        precondition(notADigitClass.map { $0 >= 1 && $0 == probabilities.count - 1 } ?? !probabilities.isEmpty,
                     "the not-a-digit output is checked on load to be the last, after at least one digit")
        self.probabilities = probabilities
        self.notADigitClass = notADigitClass
    }

    /// How many outputs are digits (0, 1, … in order).
    public var digitCount: Int { notADigitClass ?? probabilities.count }

    /// The digits from the most to the least likely (ties: the smaller first).
    public var ranked: [Int] {
        (0..<digitCount).sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
    }

    /// The most likely digit: what is shown as "the digit", whatever the verdict
    /// (ConvNet's `Answer.digit`, the rule accuracy is measured by).
    public var digit: Int { Answer.digit(probabilities, notADigitClass: notADigitClass) }

    /// The probability of the most likely digit.
    public var confidence: Float { probabilities[digit] }

    /// The probability of "not a digit", for a model that has that output.
    public var notADigitProbability: Float? { notADigitClass.map { probabilities[$0] } }

    /// digit, unsure or not a digit; nil for a model without a "not a digit" output.
    public var verdict: Verdict? { notADigitClass.map { Verdict.of(probabilities, notADigitClass: $0) } }

    /// "5 or 9?": the two most likely digits, as an unsure reading is worded.
    public var unsureWording: String {
        let r = ranked
        return r.count > 1 ? "\(r[0]) or \(r[1])?" : "\(r[0])?"
    }

    /// The sentence said for a model without a verdict.
    public static let noVerdict = "no verdict: this model has no not-a-digit class"
}
