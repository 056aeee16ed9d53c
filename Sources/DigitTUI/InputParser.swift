import CNCurses

/// Turns what ncurses delivers (key codes and characters) into `InputEvent`s,
/// decoding SGR 1006 mouse reports itself: ESC [ < button ; column ; row M (press
/// or motion) or m (release), coordinates 1-based. Pure, so it is unit-tested.
///
/// Terminal input is outside input: every escape sequence is read by its grammar
/// (ECMA-48: CSI, OSC/DCS/APC/PM/SOS strings, SS3) and dropped whole when it is
/// not a mouse report we know, so none of its bytes ever becomes a key (a stray
/// "7" would label a sample, a "q" would quit). A sequence cut off at the end of a
/// read is handed back as `pending`, to be completed by the next read.
enum InputParser {
    typealias Token = Terminal.Token

    /// Longest escape sequence kept: beyond it, the bytes are dropped as garbage.
    static let longestSequence = 4096

    /// What the tokens starting at an ESC are.
    enum Sequence: Equatable {
        case mouse(InputEvent?)   // a report (nil: one we ignore, like a wheel's release)
        case ignored              // a whole sequence that means nothing here
        case escapeKey            // the Esc key itself
        case incomplete           // cut off: more bytes are on their way
    }

    static func events(from tokens: [Token], size: (width: Int, height: Int)) -> [InputEvent] {
        parse(tokens, size: size, keepPending: false).events
    }

    /// The events in `tokens`, and the tokens of a sequence still arriving (only
    /// when `keepPending`; otherwise such a tail is dropped, a lone ESC being the Esc key).
    static func parse(_ tokens: [Token], size: (width: Int, height: Int), keepPending: Bool) -> (events: [InputEvent], pending: [Token]) {
        var out: [InputEvent] = []
        var i = 0
        while i < tokens.count {
            guard tokens[i] == .char(27) else {
                if let e = translate(tokens[i], size: size) { out.append(e) }
                i += 1
                continue
            }
            let (kind, next) = sequence(tokens, at: i)
            switch kind {
            case let .mouse(e): if let e { out.append(e) }
            case .ignored: break
            case .escapeKey: out.append(.key(.escape))
            case .incomplete:
                if i + 1 == tokens.count { out.append(.key(.escape)) }          // a lone ESC at the end: the key
                else if keepPending { return (out, Array(tokens[i...])) }
            }
            i = next
        }
        return (out, [])
    }

    /// True when the tokens end inside an escape sequence (more bytes are on their way).
    /// Only the last ESC can open an unfinished sequence: an earlier one ended where
    /// a later ESC began (or that ESC is its string terminator, ESC \\, itself
    /// complete). Checked from there, so the read loop, which asks after every
    /// byte, stays linear in a burst of reports.
    static func incomplete(_ tokens: [Token]) -> Bool {
        guard let esc = tokens.lastIndex(of: .char(27)) else { return false }
        return sequence(tokens, at: esc).0 == .incomplete
    }

    /// How many leading tokens are the rest of a CSI sequence whose start was
    /// dropped (parameters, then one final byte): after a cut-off report timed out,
    /// its late rest ("0;15M") must not be typed as keys.
    static func strayTail(_ tokens: [Token]) -> Int {
        for (i, t) in tokens.prefix(64).enumerated() {
            guard let c = char(t) else { return 0 }
            switch c {
            case 0x20...0x3F: continue
            case 0x40...0x7E: return i + 1
            default: return 0
            }
        }
        return 0
    }

    static func char(_ t: Token) -> Int32? { if case let .char(c) = t { return c } else { return nil } }

    /// Reads the escape sequence starting at `start` (an ESC): what it is, and the index after it.
    static func sequence(_ t: [Token], at start: Int) -> (Sequence, Int) {
        guard start + 1 < t.count else { return (.incomplete, t.count) }
        guard let b = char(t[start + 1]) else { return (.escapeKey, start + 1) }
        switch b {
        case 91:   // "[": CSI — parameters 0x30–0x3F, intermediates 0x20–0x2F, one final 0x40–0x7E
            var i = start + 2
            while i < t.count, i - start < longestSequence {
                guard let c = char(t[i]) else { return (.ignored, i) }
                switch c {
                case 0x20...0x3F: i += 1
                case 0x40...0x7E:
                    if start + 2 < i, t[start + 2] == .char(60), c == 77 || c == 109 { return (.mouse(mouse(t, from: start + 3, to: i)), i + 1) }
                    return (.ignored, i + 1)
                default: return (.ignored, i)   // broken off by a control byte: drop what came
                }
            }
            return i - start >= longestSequence ? (.ignored, i) : (.incomplete, t.count)
        case 93, 80, 95, 94, 88:   // "]" OSC, "P" DCS, "_" APC, "^" PM, "X" SOS: a string ended by BEL or ESC \
            var i = start + 2
            while i < t.count, i - start < longestSequence {
                if t[i] == .char(7) { return (.ignored, i + 1) }
                if t[i] == .char(27) {
                    guard i + 1 < t.count else { return (.incomplete, t.count) }
                    return (.ignored, t[i + 1] == .char(92) ? i + 2 : i)
                }
                i += 1
            }
            return i - start >= longestSequence ? (.ignored, i) : (.incomplete, t.count)
        case 79:   // "O": SS3 and one character
            return start + 2 < t.count ? (.ignored, start + 3) : (.incomplete, t.count)
        default:   // ESC then a key: Esc pressed then the key (typed quickly, they arrive together)
            return (.escapeKey, start + 1)
        }
    }

    /// The event of an SGR report whose parameters are tokens `from..<to` (after
    /// "<") and whose final byte is at `to`; nil for one we ignore or that is malformed.
    static func mouse(_ t: [Token], from: Int, to: Int) -> InputEvent? {
        var numbers: [Int] = [0]
        for i in from..<to {
            guard let c = char(t[i]) else { return nil }
            switch c {
            case 48...57: numbers[numbers.count - 1] = min(numbers[numbers.count - 1] * 10 + Int(c - 48), 1_000_000)
            case 59:
                numbers.append(0)
                if numbers.count > 3 { return nil }
            default: return nil
            }
        }
        guard numbers.count == 3, let final = char(t[to]) else { return nil }
        let b = numbers[0], col = numbers[1] - 1, row = numbers[2] - 1
        if b & 64 != 0 {                                                                     // wheel: 64 up, 65 down
            guard final == 77, b & 3 < 2 else { return nil }
            return .mouse(column: col, row: row, button: b & 1 == 0 ? .wheelUp : .wheelDown, action: .press)
        }
        let button: MouseButton = [MouseButton.left, .middle, .right, .none][b & 3]
        let action: MouseAction = final == 109 ? .release : (b & 32 != 0 ? (button == .none ? .move : .drag) : .press)
        return .mouse(column: col, row: row, button: button, action: action)
    }

    static func translate(_ token: Token, size: (width: Int, height: Int)) -> InputEvent? {
        switch token {
        case let .code(code):
            switch code {
            case KEY_RESIZE: return .resize(width: size.width, height: size.height)
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_ENTER: return .key(.enter)
            case KEY_BTAB: return .key(.backTab)
            case (KEY_F0 + 1)...(KEY_F0 + 12): return .key(.function(Int(code - KEY_F0)))
            default: return nil
            }
        case let .char(code):
            switch code {
            case 9: return .key(.tab)
            case 10, 13: return .key(.enter)
            case 27: return .key(.escape)
            case 8, 127: return .key(.backspace)
            case 26: Terminal.suspendFlag.pointee = 1; return nil
            case 28...31: return .key(.ctrl(Character(Unicode.Scalar(UInt8(code + 64)))))   // Ctrl-\ ] ^ _
            case 1...31: return .key(.ctrl(Character(Unicode.Scalar(UInt8(code + 96)))))
            default:
                guard code > 31, let u = Unicode.Scalar(UInt32(truncatingIfNeeded: code)) else { return nil }
                return .key(.char(Character(u)))
            }
        }
    }
}

