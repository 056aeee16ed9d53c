/// Input as the app understands it, independent of ncurses (tests make these directly).
public enum Key: Equatable, Sendable {
    case char(Character)
    case ctrl(Character)           // ctrl("c") for Ctrl-C
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    case function(Int)             // F1…F12
}

public enum MouseButton: Sendable { case left, right, middle, none }

public enum MouseAction: Sendable { case press, drag, release, move }

public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(column: Int, row: Int, button: MouseButton, action: MouseAction)
    case resize(width: Int, height: Int)

    public static func == (a: InputEvent, b: InputEvent) -> Bool {
        switch (a, b) {
        case let (.key(x), .key(y)): x == y
        case let (.resize(w1, h1), .resize(w2, h2)): w1 == w2 && h1 == h2
        case let (.mouse(c1, r1, _, _), .mouse(c2, r2, _, _)): c1 == c2 && r1 == r2
        default: false
        }
    }
}
