/// Text from outside (a tensor name, a byte of a data file, a library's
/// message about a file) put into an error message must not act on the
/// terminal that prints it: a newline would split the one-line message, an ESC
/// starts a control sequence (setting the window title, the colours), a NUL
/// cuts the message short in C. Every reader quotes such text through here.
extension String {
    /// Longest escaped text kept in a message, in characters.
    public static let messageQuoteLimit = 120

    /// This text with every control character written out (`\n`, `\r`, `\t`,
    /// `\e`, `\x00`…`\x1f`, `\x7f`, and `\u{…}` for C1 controls, bidirectional
    /// overrides and line separators), cut to `limit` characters with "…".
    /// A backslash is left as it is, so escaping twice changes nothing: the
    /// final printer may escape a whole message again.
    public func escapedForMessage(limit: Int = String.messageQuoteLimit) -> String {
        var out = "", kept = 0
        for scalar in unicodeScalars {
            if kept >= limit { out += "…"; break }
            out += String.escape(scalar)
            kept += 1
        }
        return out
    }

    /// Outside bytes as message text: valid UTF-8 is kept (escaped as above),
    /// every byte that is not valid UTF-8 is written `\xHH`.
    public static func escapedForMessage(bytes: some Collection<UInt8>, limit: Int = String.messageQuoteLimit) -> String {
        let b = Array(bytes)
        var out = "", kept = 0, i = 0
        while i < b.count {
            if kept >= limit { out += "…"; break }
            let lead = b[i]
            let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            if length > 0, i + length <= b.count, let s = String(validating: b[i..<(i + length)], as: UTF8.self),
               let scalar = s.unicodeScalars.first {
                out += escape(scalar)
                i += length
            } else {
                out += hex(lead)
                i += 1
            }
            kept += 1
        }
        return out
    }

    private static func escape(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x1B: return "\\e"
        case 0x00...0x1F, 0x7F: return hex(UInt8(s.value))
        // C1 controls (0x9B is a CSI on some terminals), line and paragraph
        // separators, bidirectional embeddings, overrides and isolates.
        case 0x80...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
            return "\\u{" + String(s.value, radix: 16) + "}"
        default: return String(s)
        }
    }

    private static func hex(_ b: UInt8) -> String { "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16) }
}
