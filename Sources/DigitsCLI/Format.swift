import ConvNet
#if canImport(Glibc)
import Glibc
#endif

/// Small text helpers shared by the subcommands' tables.
enum Format {
    /// 173738 → "173,738"
    static func thousands(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { vsnprintf(&buf, 64, "%.\(digits)f", $0) }
        return String(cString: buf)
    }

    static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(x * 100, digits) + " %" }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        guard n < width else { return s }
        let fill = String(repeating: " ", count: width - n)
        return right ? fill + s : s + fill
    }

    /// "1h02m", "3m05s", "12s"
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h" + (s % 3600 / 60 < 10 ? "0" : "") + "\(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m" + (s % 60 < 10 ? "0" : "") + "\(s % 60)s" }
        return "\(s)s"
    }
}

extension JSON {
    static func num(_ x: Double, _ digits: Int = 6) -> JSON {
        let scale = pow(10.0, Double(digits))
        return .number((x * scale).rounded() / scale)
    }
    static func int(_ n: Int) -> JSON { .number(Double(n)) }
}

func printJSON(_ j: JSON) { print(j.text) }
