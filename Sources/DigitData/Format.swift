import Glibc

/// How numbers are written for people, the same in the command line's tables,
/// the app's panels and the plots' labels.
public enum Format {
    /// 173738 → "173,738"
    public static func thousands(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `digits` decimals, rounded; "–" for a number that is not finite.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "–" }
        var buf = [CChar](repeating: 0, count: 400)
        _ = withVaList([x]) { vsnprintf(&buf, buf.count, "%.\(max(0, min(digits, 20)))f", $0) }
        return String(cString: buf)
    }

    /// 0.98765 → "98.77 %"
    public static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(x * 100, digits) + " %" }

    /// `s` padded with spaces to `width` characters (on the left when `right`).
    public static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        guard n < width else { return s }
        let fill = String(repeating: " ", count: width - n)
        return right ? fill + s : s + fill
    }

    /// "1h02m", "3m05s", "12s"; "–" for a span that is not a finite, positive number.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return "–" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h" + (s % 3600 / 60 < 10 ? "0" : "") + "\(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m" + (s % 60 < 10 ? "0" : "") + "\(s % 60)s" }
        return "\(s)s"
    }
}
