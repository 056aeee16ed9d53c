/// Input as the app understands it, independent of ncurses (tests make these directly).
public enum Key: Equatable, Sendable {
    case char(Character)
    case ctrl(Character)           // ctrl("c") for Ctrl-C
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    case function(Int)             // F1…F12
}

/// The wheel arrives as presses of its own buttons (SGR 1006 buttons 64 and 65).
public enum MouseButton: Sendable { case left, right, middle, none, wheelUp, wheelDown }

public enum MouseAction: Sendable { case press, drag, release, move }

public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(column: Int, row: Int, button: MouseButton, action: MouseAction)
    case resize(width: Int, height: Int)
}
