import Foundation

/// What the app's screen says, read from a tmux capture.
enum ScreenText {
    /// "prediction: 7 (99.12 %)" → 7; with `orUnsure`, also "unsure: 7 or 1?" → 7
    /// (the app's best digit, said with doubt). "not a digit" → nil.
    static func predicted(_ screen: String, orUnsure: Bool = false) -> Int? {
        if let r = screen.range(of: "prediction: ") { return screen[r.upperBound...].first?.wholeNumberValue }
        if orUnsure, let r = screen.range(of: "unsure: ") { return screen[r.upperBound...].first?.wholeNumberValue }
        return nil
    }

    /// The prediction panel's title once the drawing has been read, whatever the verdict.
    static let reading = "(prediction: [0-9]|unsure: [0-9]|─ not a digit)"

    /// The highest bar's digit, read from the bar rows' percentages.
    static func highestBar(_ screen: String) -> Int? {
        var best: (Int, Double)? = nil
        for line in screen.split(separator: "\n") {
            let parts = line.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }
            for part in parts {
                let fields = part.split(separator: " ")
                guard fields.count >= 3, let d = Int(fields[fields.count - 3]), (0...9).contains(d),
                      fields.last!.hasSuffix("%"), let p = Double(fields.last!.dropLast()) else { continue }
                if best == nil || p > best!.1 { best = (d, p) }
            }
        }
        return best?.0
    }

    /// Row `row` (0-based) of a capture, trailing blanks dropped.
    static func row(_ screen: String, _ row: Int) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard row < rows.count else { return "" }
        return String(rows[row]).replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
    }
}
