import DigitData

/// How `digits predict` words a reading in its text output.
enum PredictText {
    /// What the picture is: "7  99.8 %"; for a verdict model, "5 or 9?  48.1 % / 40.2 %"
    /// when unsure, "not a digit  91.0 %" when not a digit.
    static func said(_ r: DigitReading) -> String {
        let p = r.probabilities
        switch r.verdict {
        case .unsure?:
            let two = r.ranked.prefix(2)
            return "\(r.unsureWording)  " + two.map { Format.percent(Double(p[$0]), 1) }.joined(separator: " / ")
        case .notADigit?:
            return "not a digit  \(Format.percent(Double(r.notADigitProbability!), 1))"
        case .digit?, nil:
            return "\(r.digit)  \(Format.percent(Double(r.confidence), 1))"
        }
    }

    /// "verdict: digit", "verdict: unsure", "verdict: not a digit", or, for a model
    /// without the class, the sentence that says it has no verdict.
    static func verdict(_ r: DigitReading) -> String {
        r.verdict.map { "verdict: \($0.rawValue)" } ?? DigitReading.noVerdict
    }
}
