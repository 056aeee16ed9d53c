import CNCurses

/// Turns what ncurses delivers (key codes and characters) into `InputEvent`s,
/// decoding SGR 1006 mouse reports itself: ESC [ < button ; column ; row M (press
/// or motion) or m (release), coordinates 1-based. Pure, so it is unit-tested.
enum InputParser {
    typealias Token = Terminal.Token

    static func events(from tokens: [Token], size: (width: Int, height: Int)) -> [InputEvent] {
        var out: [InputEvent] = []
        var i = 0
        while i < tokens.count {
            if tokens[i] == .char(27), let (event, next) = mouse(tokens, from: i) {
                if let e = event { out.append(e) }
                i = next
                continue
            }
            if let e = translate(tokens[i], size: size) { out.append(e) }
            i += 1
        }
        return out
    }

    /// True when the tokens end inside a mouse report (more bytes are on their way).
    static func incomplete(_ tokens: [Token]) -> Bool {
        guard let esc = tokens.lastIndex(of: .char(27)) else { return false }
        let tail = tokens[esc...]
        if tail.count == 1 { return true }
        guard tail.count >= 2, tail[esc + 1] == .char(91) else { return false }          // "["
        if tail.count == 2 { return true }
        guard tail[esc + 2] == .char(60) else { return false }                             // "<"
        return !tail.dropFirst(3).contains { $0 == .char(77) || $0 == .char(109) }         // no final M/m yet
    }

    /// Parses a report starting at `start` (an ESC). Returns the event (nil for
    /// reports we ignore, like a wheel's release or its sideways buttons) and the
    /// index after the report; nil when the tokens there are not a mouse report.
    static func mouse(_ t: [Token], from start: Int) -> (InputEvent?, Int)? {
        guard start + 2 < t.count, t[start + 1] == .char(91), t[start + 2] == .char(60) else { return nil }
        var numbers: [Int] = [0]
        var i = start + 3
        while i < t.count {
            guard case let .char(c) = t[i] else { return nil }
            switch c {
            case 48...57:
                numbers[numbers.count - 1] = min(numbers[numbers.count - 1] * 10 + Int(c - 48), 1_000_000)
            case 59:
                numbers.append(0)
                if numbers.count > 3 { return nil }
            case 77, 109:   // M: press or motion, m: release
                guard numbers.count == 3 else { return (nil, i + 1) }
                let b = numbers[0], col = numbers[1] - 1, row = numbers[2] - 1
                if b & 64 != 0 {                                                         // wheel: 64 up, 65 down
                    guard c == 77, b & 3 < 2 else { return (nil, i + 1) }
                    return (.mouse(column: col, row: row, button: b & 1 == 0 ? .wheelUp : .wheelDown, action: .press), i + 1)
                }
                let button: MouseButton = [MouseButton.left, .middle, .right, .none][b & 3]
                let action: MouseAction = c == 109 ? .release : (b & 32 != 0 ? (button == .none ? .move : .drag) : .press)
                return (.mouse(column: col, row: row, button: button, action: action), i + 1)
            default:
                return nil
            }
            i += 1
        }
        return (nil, t.count)   // cut off: drop it rather than type its characters
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

