/// What the app and `digits predict` say about a reading: a digit, "5 or 9?", or
/// not a digit at all. Only a model trained with an extra "not a digit" class (its
/// weights file names it: `WeightsMetadata.notADigitClass`) can give a verdict; any
/// other model's reading has none, and says so.
public enum Verdict: String, Sendable, Equatable, CaseIterable {
    case digit = "digit"
    case unsure = "unsure"
    case notADigit = "not a digit"

    /// The rule's two numbers, measured on held-out digits and letters
    /// (docs/PERFORMANCE.md "Verdict"): below `sureAbove` of the digits' share the
    /// reading is unsure.
    public static let sureAbove: Float = 0.6

    /// The verdict from the probabilities over all classes, of which
    /// `notADigitClass` is the "not a digit" output; the digit is the most likely
    /// of the others.
    public static func of(_ probabilities: [Float], notADigitClass: Int) -> Verdict {
        precondition(notADigitClass >= 0 && notADigitClass < probabilities.count)
        let none = probabilities[notADigitClass]
        var best: Float = 0
        for (i, p) in probabilities.enumerated() where i != notADigitClass { best = max(best, p) }
        if none >= best { return .notADigit }
        return best >= sureAbove ? .digit : .unsure
    }
}
