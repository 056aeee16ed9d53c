import CNCurses
import ConvNet
import Glibc

/// Why the terminal cannot host the app, in one line for the user.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

/// The ncurses side: takes over the terminal, turns its input into `InputEvent`s,
/// shows `Surface`s, and gives the terminal back however the program ends —
/// normal exit, error, SIGINT/SIGTERM/SIGHUP/SIGQUIT, Ctrl-Z, a crash, or any
/// other signal whose default action ends the process.
public final class Terminal {
    public let theme: Theme
    private var pairs: [Int32: Int16] = [:]
    private var nextPair: Int16 = 1
    private var maxPairs: Int32 = 0
    nonisolated(unsafe) private static var active = false
    nonisolated(unsafe) private static var savedTermios = termios()
    nonisolated(unsafe) private static var haveTermios = false

    /// Signals that ask the app to quit (INT, TERM, HUP, QUIT) or to suspend (TSTP).
    nonisolated(unsafe) static let quitFlag: UnsafeMutablePointer<sig_atomic_t> = { let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1); p.initialize(to: 0); return p }()
    nonisolated(unsafe) static let suspendFlag: UnsafeMutablePointer<sig_atomic_t> = { let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1); p.initialize(to: 0); return p }()

    public var quitRequested: Bool { Terminal.quitFlag.pointee != 0 }
    /// The signal (INT, TERM, HUP, QUIT) that asked the app to quit, if one did.
    public var quitSignal: Int32? { quitRequested ? Terminal.quitFlag.pointee : nil }

    // Attributes (NCURSES_BITS(mask, shift) = mask << (shift + 8)).
    static let aReverse: UInt32 = 1 << 18, aDim: UInt32 = 1 << 20, aBold: UInt32 = 1 << 21

    /// Escape sequences that undo our mouse modes and screen switch.
    static let resetSequence: [UInt8] = Array("\u{1B}[?1002l\u{1B}[?1006l\u{1B}[?1000l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l".utf8)
    /// The reset sequence and the terminal's keypad-off string (rmkx), copied to
    /// memory of their own before any handler is installed: all a dying handler
    /// does is write(2) these bytes and tcsetattr, both async-signal-safe.
    nonisolated(unsafe) static var dyingBytes: UnsafeMutablePointer<UInt8>? = nil
    nonisolated(unsafe) static var dyingCount = 0

    /// Signals whose default action ends the process (and those that also dump
    /// core): each restores the terminal first, then dies by its default action,
    /// so the exit status still names the signal. INT, TERM, HUP and QUIT quit
    /// cleanly instead; KILL and STOP cannot be caught.
    static var dyingSignals: [Int32] {
        let crashes = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGXCPU, SIGXFSZ, SIGSYS]
        let others = [SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGSTKFLT, SIGIO, SIGPWR]
        return crashes + others + Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())
    }
    static let mouseOn = "\u{1B}[?1000h\u{1B}[?1002h\u{1B}[?1006h"
    static let mouseOff = "\u{1B}[?1006l\u{1B}[?1002l\u{1B}[?1000l"

    public init(forceMonochrome: Bool = false) throws {
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw TerminalError("the drawing app needs a terminal (standard input and output are not one)")
        }
        Terminal.chooseUTF8Locale()
        let name = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !name.isEmpty else {
            throw TerminalError("TERM is not set, so the terminal's type is unknown; set it (e.g. TERM=xterm-256color)")
        }
        if tcgetattr(0, &Terminal.savedTermios) == 0 { Terminal.haveTermios = true }
        // newterm, not initscr: initscr prints its own message and exits the
        // process on an unknown TERM; newterm returns nil and lets us say why.
        guard let screen = newterm(nil, stdout, stdin) else {
            throw TerminalError("the terminal type '\(name)' (TERM) is not in the terminfo database; try TERM=xterm-256color or install ncurses-term")
        }
        // A terminal that cannot place the cursor (TERM=dumb, an editor's shell
        // buffer) would get a scrolling jumble: refuse it with the reason.
        if let cup = tigetstr("cup"), Int(bitPattern: cup) != -1 {} else {
            endwin()
            delscreen(screen)
            if Terminal.haveTermios { tcsetattr(0, TCSANOW, &Terminal.savedTermios) }
            throw TerminalError("TERM=\(name) cannot move the cursor, which the full-screen drawing app needs; run it in a terminal such as xterm-256color (the other commands work anywhere)")
        }
        Terminal.prepareDyingBytes()
        Terminal.installSignalHandlers()
        Terminal.active = true
        atexit { Terminal.restoreNow() }
        raw()
        noecho()
        keypad(stdscr, true)
        // No typeahead check: doupdate would poll the input every five lines and,
        // during a stroke (input is always waiting), flush the half-drawn frame.
        typeahead(-1)
        set_escdelay(25)
        curs_set(0)
        let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty == false } ?? false
        var color = !forceMonochrome && !noColor && has_colors()
        if color {
            start_color()
            use_default_colors()
            color = COLORS >= 256
            maxPairs = COLOR_PAIRS
        }
        theme = Theme(color: color)
        // Mouse reports are parsed here, not by ncurses: ncurses 6.4 loses the
        // press when several SGR reports arrive in one read (a fast stroke).
        // So: no mousemask, ncurses must not claim the "ESC [ <" prefix, and we
        // turn on button-motion reporting (1002) in SGR encoding (1006) ourselves.
        keyok(KEY_MOUSE, false)
        // ncurses 6.4 flushes its output after every cursor movement until the
        // screen has once been left and resumed (its endwin state stays
        // "initial" after newterm): a frame went out in ~35 small writes, each
        // waking the terminal. One endwin/doupdate round trip, before anything
        // is drawn, makes a frame one write.
        endwin()
        doupdate()
        Terminal.writeRaw(Terminal.mouseOn)
    }

    deinit { restore() }

    /// The screen is drawn with box, block and braille characters, which need a
    /// UTF-8 locale. When none is configured (LANG and LC_* unset or "C", as in
    /// many containers and ssh sessions), use C.UTF-8 for the character type
    /// rather than draw blanks; an explicitly chosen locale is kept.
    static func chooseUTF8Locale() {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset).uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" else { return }
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        guard current == "C" || current == "POSIX" else { return }
        for candidate in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, candidate) != nil { return }
    }

    public var size: (width: Int, height: Int) { (Int(getmaxx(stdscr)), Int(getmaxy(stdscr))) }

    public func restore() { Terminal.restoreNow() }

    static func restoreNow() {
        guard active else { return }
        active = false
        writeRaw(mouseOff)
        endwin()
        if haveTermios { tcsetattr(0, TCSANOW, &savedTermios) }
    }

    static func writeRaw(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    static func prepareDyingBytes() {
        guard dyingBytes == nil else { return }
        var bytes = resetSequence
        if let rmkx = tigetstr("rmkx"), Int(bitPattern: rmkx) != -1 {
            bytes += Array(String(cString: rmkx).utf8)
        } else {
            bytes += Array("\u{1B}[?1l\u{1B}>".utf8)
        }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        p.initialize(from: bytes, count: bytes.count)
        dyingCount = bytes.count
        dyingBytes = p
    }

    static func installSignalHandlers() {
        var quit = sigaction()
        // The flag holds the signal's number: the app exits with 128 + it after a clean quit.
        quit.__sigaction_handler.sa_handler = { sig in Terminal.quitFlag.pointee = sig }
        sigemptyset(&quit.sa_mask)
        // SIGQUIT (kill -QUIT, or Ctrl-\ where the tty makes signals) would otherwise reach the
        // Swift runtime's crash reporter, which prints over the screen and lets the app run on.
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaction(s, &quit, nil) }
        var tstp = sigaction()
        tstp.__sigaction_handler.sa_handler = { _ in Terminal.suspendFlag.pointee = 1 }
        sigemptyset(&tstp.sa_mask)
        sigaction(SIGTSTP, &tstp, nil)
        // A crash or a fatal signal must not leave a dead terminal: reset it, then
        // die as we would have (the signal stays blocked until the handler returns,
        // then its default action runs).
        var dying = sigaction()
        dying.__sigaction_handler.sa_handler = { sig in
            if let p = Terminal.dyingBytes { _ = write(1, p, Terminal.dyingCount) }
            if Terminal.haveTermios { tcsetattr(0, TCSANOW, &Terminal.savedTermios) }
            signal(sig, SIG_DFL)
            raise(sig)
        }
        sigemptyset(&dying.sa_mask)
        for s in dyingSignals { sigaction(s, &dying, nil) }
    }

    /// Ctrl-Z or SIGTSTP: give the terminal back, stop, and take it again on `fg`.
    public func suspendIfRequested() -> Bool {
        guard Terminal.suspendFlag.pointee != 0 else { return false }
        Terminal.suspendFlag.pointee = 0
        suspend()
        return true
    }

    public func suspend() {
        Terminal.writeRaw(Terminal.mouseOff)
        endwin()
        if Terminal.haveTermios { tcsetattr(0, TCSANOW, &Terminal.savedTermios) }
        kill(getpid(), SIGSTOP)
        // Continued: back to our modes.
        raw(); noecho(); keypad(stdscr, true); curs_set(0)
        Terminal.writeRaw(Terminal.mouseOn)
        clearok(stdscr, true)
        invalidate()
        refresh()
    }

    // MARK: input

    /// One result of wget_wch: a key code (function keys) or a character.
    enum Token: Equatable { case code(Int32), char(Int32) }

    /// Waits up to `timeoutMs` for input, then returns everything that is pending.
    public func read(timeoutMs: Int32) -> [InputEvent] {
        var tokens = pendingInput
        let resuming = !tokens.isEmpty
        wtimeout(stdscr, resuming ? 30 : timeoutMs)
        while tokens.count < 4096 {
            var ch: wint_t = 0
            let r = wget_wch(stdscr, &ch)
            if r == ERR { break }
            tokens.append(r == KEY_CODE_YES ? .code(Int32(ch)) : .char(Int32(ch)))
            // Within an escape sequence, give its remaining bytes a moment to arrive.
            wtimeout(stdscr, InputParser.incomplete(tokens) ? 30 : 0)
        }
        // The late rest of a report given up on last time is dropped, not typed.
        if droppedInputTail {
            droppedInputTail = false
            tokens.removeFirst(InputParser.strayTail(tokens))
        }
        // A sequence still unfinished (a report split across reads, as over a slow
        // link) waits for its rest for up to a second, then is dropped whole.
        let keep = !resuming || now() - pendingSince < 1
        let (events, rest) = InputParser.parse(tokens, size: size, keepPending: keep)
        if !keep && !pendingInput.isEmpty && InputParser.incomplete(tokens) { droppedInputTail = true }
        if !resuming || rest.isEmpty { pendingSince = now() }
        pendingInput = rest
        return events
    }

    /// Tokens of an escape sequence that a read ended inside of (InputParser.parse).
    private var pendingInput: [Token] = []
    private var pendingSince = 0.0
    private var droppedInputTail = false

    // MARK: output

    /// What was last handed to ncurses, so a frame only touches the cells that changed.
    private var shown: [Cell] = []
    private var shownWidth = 0

    /// Forgets what is on screen (after a suspend or resize), so the next frame is sent whole.
    public func invalidate() { shown = [] }

    /// Shows `s`, passing ncurses only the cells that differ from the last frame.
    public func present(_ s: Surface) {
        var cc = cchar_t()
        var wide: [wchar_t] = [0, 0]
        let full = shown.count != s.cells.count || shownWidth != s.width
        if full { shown = s.cells; shownWidth = s.width }
        for y in 0..<min(s.height, Int(getmaxy(stdscr))) {
            for x in 0..<min(s.width, Int(getmaxx(stdscr))) {
                let cell = s[x, y]
                if !full {
                    let i = y * s.width + x
                    if shown[i] == cell { continue }
                    shown[i] = cell
                }
                wide[0] = wchar_t(cell.scalar.value)
                var attr: UInt32 = 0
                if cell.style.bold { attr |= Terminal.aBold }
                if cell.style.reverse { attr |= Terminal.aReverse }
                if cell.style.dim { attr |= Terminal.aDim }
                let pair = theme.color ? pairFor(cell.style.fg, cell.style.bg) : 0
                setcchar(&cc, &wide, attr_t(attr), pair, nil)
                mvwadd_wch(stdscr, Int32(y), Int32(x), &cc)
            }
        }
        wnoutrefresh(stdscr)
        doupdate()
    }

    func pairFor(_ fg: Int16, _ bg: Int16) -> Int16 {
        if fg == -1 && bg == -1 { return 0 }
        let key = Int32(fg) << 16 | Int32(UInt16(bitPattern: bg))
        if let p = pairs[key] { return p }
        guard Int32(nextPair) < min(maxPairs, 32767) else { return 0 }
        let p = nextPair
        nextPair += 1
        init_pair(p, fg, bg)
        pairs[key] = p
        return p
    }
}
