import ConvNet
import DigitData

/// What `digits eval` says of a verdict model's readings of a test set: the share
/// of the images that get `digit`, `unsure` and `not a digit`, and the accuracy
/// among the accepted ones (`digit`). A model without the class has no verdict.
enum EvalVerdict {
    static func lines(_ t: VerdictTally?) -> [String] {
        guard let t else { return [DigitReading.noVerdict] }
        var accepted = "accuracy among accepted (digit): "
        accepted += t.acceptedAccuracy.map { "\(Format.percent($0)) of \(Format.thousands(t.count(.digit)))" } ?? "none accepted"
        return ["verdict: " + Verdict.allCases.map { "\($0.rawValue) \(Format.percent(t.share($0))) (\(Format.thousands(t.count($0))))" }
                    .joined(separator: "   "),
                accepted]
    }

    static func json(_ t: VerdictTally?) -> JSON {
        guard let t else { return .null }
        return .object([
            ("digit", .num(t.share(.digit))), ("unsure", .num(t.share(.unsure))), ("not_a_digit", .num(t.share(.notADigit))),
            ("counts", .object(Verdict.allCases.map { (key($0), .int(t.count($0))) })),
            ("accepted_accuracy", t.acceptedAccuracy.map { .num($0) } ?? .null),
        ])
    }

    /// A verdict's JSON key ("not_a_digit").
    static func key(_ v: Verdict) -> String { v.rawValue.replacingOccurrences(of: " ", with: "_") }
}
