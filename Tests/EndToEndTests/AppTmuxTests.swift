import Foundation
import XCTest

/// The drawing app in a real terminal (tmux, 120×40, xterm-256color), driven by
/// keys and mouse reports and read back from the screen.
final class AppTmuxTests: XCTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
    }

    func start(_ extra: String = "", width: Int = 120, height: Int = 40) throws -> Tmux {
        let t = try Tmux(width: width, height: height, command: "'\(Binary.path)' draw --weights '\(weights)' \(extra)")
        try t.wait(for: "draw a digit")
        return t
    }

    /// Quits (a drawing is not asked about: issue 11).
    func quit(_ t: Tmux, key: String = "q") throws {
        try t.keys(key)
    }

    /// The title and the highest bar both name `digit`, on the same capture.
    func assertReads(_ t: Tmux, _ digit: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try t.wait(until: "the prediction and the highest bar read \(digit)", file: file, line: line) {
            ScreenText.predicted($0, orUnsure: true) == digit && ScreenText.highestBar($0) == digit
        }
    }

    func testMouseDrawnOneSevenZero() throws {
        let t = try start()
        for (glyph, digit) in [(Glyphs.one, 1), (Glyphs.seven, 7), (Glyphs.zero, 0)] {
            try t.keys("c")
            try t.wait(for: "draw a digit")
            try t.stroke(glyph)
            try assertReads(t, digit)
        }
        try quit(t)
        try t.wait(for: "__EXIT__ 0")
    }

    /// Issue 5's bar, measured by the app itself: from a mouse report to the screen
    /// updated (normalise, forward pass with feature maps, redraw), p99 ≤ 8 ms for
    /// the shipped model over a scripted drawing of one report at a time. Wall time
    /// on a shared machine includes time the app waits for a core, so a run over
    /// the bar is repeated, up to three runs; the best must meet it.
    func testPerStrokeLatencyIsUnderEightMilliseconds() throws {
        var runs: [(updates: Double, p50: Double, p99: Double)] = []
        for _ in 0..<3 {
            guard let run = try strokeLatency() else { return }
            runs.append(run)
            if run.p99 <= 8 { break }
        }
        print("per-stroke latency runs (updates, p50 ms, p99 ms): \(runs)")
        let best = runs.min { $0.p99 < $1.p99 }!
        XCTAssertGreaterThanOrEqual(best.updates, 60, "too few updates measured: \(runs)")
        XCTAssertLessThanOrEqual(best.p99, 8, "per-stroke p99 over 8 ms in every run: \(runs)")
    }

    /// Each frame reaches the terminal in one write (or a few, for a large one):
    /// ncurses 6.4 otherwise flushes after every cursor movement until the screen
    /// has once been left and resumed, ~35 writes a frame during a stroke, each
    /// waking the terminal. Counted with strace over a scripted stroke.
    func testAFrameReachesTheTerminalInOneWrite() throws {
        guard let strace = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("strace is not installed (apt-get install strace; make test installs it)")
        }
        let dir = NSTemporaryDirectory() + "digits-writes-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/writes.log"
        guard system("\(strace) -o /dev/null true >/dev/null 2>&1") == 0 else {
            throw XCTSkip("strace cannot trace here (no ptrace permission)")
        }
        let t = try Tmux(command: "\(strace) -qq -e trace=write -o '\(log)' '\(Binary.path)' draw --weights '\(weights)' --debug")
        try t.wait(for: "draw a digit")
        try t.press(20, 8)
        for i in 0..<40 { try t.drag(20 + i / 3, 8 + i / 2) }
        try t.release(34, 28)
        try t.wait(forPattern: ScreenText.reading)
        try quit(t)
        let screen = try t.wait(for: "__EXIT__ 0")
        guard let r = screen.range(of: #"over (\d+) updates"#, options: .regularExpression),
              let updates = Int(screen[r].split(separator: " ")[1]) else {
            return XCTFail("no latency line after --debug:\n\(screen)")
        }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let toTerminal = lines.filter { $0.hasPrefix("write(1,") }.count
        print("writes to the terminal: \(toTerminal) for \(updates) updates")
        XCTAssertGreaterThanOrEqual(updates, 20, screen)
        // Frames besides the stroke's updates: the first, the quit question, a few
        // redraws; each may take two writes when ncurses' buffer fills.
        XCTAssertLessThanOrEqual(toTerminal, 2 * updates + 30,
                                 "\(toTerminal) writes to the terminal for \(updates) updates")
    }

    /// One scripted drawing under `--debug`: the app's own count, p50 and p99.
    private func strokeLatency() throws -> (updates: Double, p50: Double, p99: Double)? {
        let t = try start("--debug")
        for stroke in 0..<6 {
            try t.keys("c")
            try t.wait(for: "draw a digit")
            let y0 = 4 + stroke * 3
            try t.press(2 + 8, 3 + y0)
            for i in 0..<30 {   // a slanted line across the canvas, one report per send
                try t.drag(2 + (4 + i * 20 / 30) * 2, 3 + y0 + i / 4)
            }
            try t.release(2 + 24 * 2, 3 + y0 + 7)
            try t.wait(forPattern: ScreenText.reading)
        }
        try quit(t)
        let screen = try t.wait(for: "__EXIT__ 0")
        guard let r = screen.range(of: #"over (\d+) updates: p50 ([0-9.]+) ms, p99 ([0-9.]+) ms"#, options: .regularExpression) else {
            XCTFail("no latency line after --debug:\n\(screen)")
            return nil
        }
        // "over 198 updates: p50 1.03 ms, p99 1.89 ms" → 198, 50, 1.03, 99, 1.89
        let numbers = screen[r].split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        guard numbers.count == 5 else {
            XCTFail("unreadable latency line: \(screen[r])")
            return nil
        }
        return (numbers[0], numbers[2], numbers[4])
    }

    func testKeyboardOnlyOneSevenZero() throws {
        let t = try start()
        // The cursor starts at pixel (14, 14). A "1": up 10, pen down, down 19, pen up.
        func repeatKey(_ k: String, _ n: Int) throws { for _ in 0..<n { try t.keys(k) } }
        try repeatKey("k", 10); try t.keys("Space"); try repeatKey("j", 19); try t.keys("Space")
        try assertReads(t, 1)
        // A "7": clear, go to (7, 5), across to (20, 5), then down-left to (12, 23).
        try t.keys("c"); try repeatKey("h", 7); try repeatKey("k", 5)
        try t.keys("Space"); try repeatKey("l", 13)
        for i in 0..<18 { try t.keys("j"); if i % 2 == 0 { try t.keys("h") } }
        try t.keys("Space")
        try assertReads(t, 7)
        // A "0": an octagon around the centre.
        try t.keys("c")
        try repeatKey("j", 9); try repeatKey("h", 4)                 // now (8, 23)… start at the bottom-left of the ring
        try t.keys("Space")
        for (k, n) in [("l", 8), ("k", 0)] { try repeatKey(k, n) }
        for _ in 0..<3 { try t.keys("l"); try t.keys("k") }           // bottom-right corner
        try repeatKey("k", 11)
        for _ in 0..<3 { try t.keys("h"); try t.keys("k") }           // top-right corner
        try repeatKey("h", 8)
        for _ in 0..<3 { try t.keys("h"); try t.keys("j") }           // top-left corner
        try repeatKey("j", 11)
        for _ in 0..<3 { try t.keys("l"); try t.keys("j") }           // back to the start
        try t.keys("Space")
        try assertReads(t, 0)
    }

    func testHeatmapsFollowTheDrawingAndTabVisitsEveryConvLayer() throws {
        let t = try start()
        try t.stroke(Glyphs.one)
        try t.wait(forPattern: ScreenText.reading)
        let lowerRows = { (s: String) in s.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(19).joined(separator: "\n") }
        let before = lowerRows(try t.screen(escapes: true))
        // Colour mode: the canvas and the maps are 256-colour cells.
        XCTAssertTrue(try t.screen(escapes: true).contains("\u{1B}[48;5;"), "no 256-colour backgrounds on screen")
        try t.stroke([(4, 20), (24, 20)])
        usleep(300_000)
        let after = lowerRows(try t.screen(escapes: true))
        XCTAssertNotEqual(before, after, "the feature maps did not change with the drawing")
        for (i, name) in ["conv2", "conv3", "conv4", "conv1"].enumerated() {
            try t.keys("Tab")
            try t.wait(for: "\(name) (\([2, 3, 4, 1][i])/4)")
        }
        try t.keys("PageDown")
        try t.wait(for: "channels 9–16 of 32")
    }

    func testResizeAndTooSmallWindow() throws {
        let t = try start()
        try t.resize(70, 20)
        try t.wait(for: "at least 80×24")
        try t.resize(100, 34)
        try t.wait(for: "feature maps")
        try t.stroke(Glyphs.seven)
        try t.wait(for: "prediction: 7")
        try t.resize(200, 60)
        try t.wait(for: "feature maps")
        try quit(t)
        try t.wait(for: "__EXIT__ 0")
    }

    func testMonochromeFallback() throws {
        let t = try Tmux(command: "NO_COLOR=1 '\(Binary.path)' draw --weights '\(weights)'")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.one)
        try t.wait(until: "shade characters stand in for colours") { $0.contains("prediction: 1") && $0.contains("██") }
        XCTAssertFalse(try t.screen(escapes: true).contains("8;5;"), "NO_COLOR=1, yet 256-colour cells are drawn")
    }

    /// q, Ctrl-C, SIGTERM and SIGHUP all hand back a sane terminal: echo and canonical
    /// mode on, cursor shown, no mouse reporting, the normal screen.
    func testTerminalIsRestoredHoweverTheAppEnds() throws {
        for how in ["q", "ctrl-c", "sigterm", "sighup"] {
            let marker = "/tmp/digits-e2e-marker-\(UUID().uuidString)"
            let t = try start("--data \(marker)")
            try t.stroke(Glyphs.one)
            try t.wait(for: "prediction: 1")
            XCTAssertNotEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}"), "000", "mouse reporting should be on while running")
            switch how {
            case "q": try quit(t)
            case "ctrl-c": try quit(t, key: "C-c")
            default:
                // Only the app itself, not the shell whose command line also names the marker.
                let pids = try Process.runAndRead("/usr/bin/pgrep", ["-f", "^\(Binary.path) draw .*\(marker)"]).split(separator: "\n")
                XCTAssertFalse(pids.isEmpty)
                for p in pids { kill(pid_t(p)!, how == "sigterm" ? SIGTERM : SIGHUP) }
            }
            let screen = try t.wait(for: "__STTY__")
            // A signal's clean quit says which signal it was (128 + n); q and Ctrl-C say 0.
            let status: Int32 = ["sigterm": 128 + SIGTERM, "sighup": 128 + SIGHUP][how] ?? 0
            XCTAssertTrue(screen.contains("__EXIT__ \(status)"), "\(how): \(screen)")
            XCTAssertTrue(screen.contains(" echo ") && screen.contains(" icanon "), "\(how): stty shows \(screen)")
            XCTAssertFalse(screen.contains("-echo ") || screen.contains("-icanon"), how)
            XCTAssertEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"), "0000", "\(how): mouse reporting left on")
            XCTAssertEqual(try t.format("#{cursor_flag}#{alternate_on}"), "10", "\(how): cursor hidden or still on the alternate screen")
            XCTAssertEqual(try t.format("#{keypad_cursor_flag}#{keypad_flag}"), "00", "\(how): keypad mode left on")
        }
    }

    /// A terminal the app cannot use is refused with one line naming the reason,
    /// an exit code of 1 and the terminal untouched, not ncurses' own exit or a
    /// scrolling jumble.
    func testUnusableTerminalsAreRefusedWithOneLine() throws {
        for (term, reason) in [("dumb", "TERM=dumb cannot move the cursor"),
                               ("no-such-terminal", "the terminal type 'no-such-terminal' (TERM) is not in the terminfo database"),
                               ("", "TERM is not set")] {
            let t = try Tmux(command: "env TERM='\(term)' '\(Binary.path)' draw --weights '\(weights)'")
            let screen = try t.wait(for: "__STTY__")
            XCTAssertTrue(screen.contains("digits: \(reason)"), "TERM=\(term): \(screen)")
            XCTAssertTrue(screen.contains("__EXIT__ 1"), "TERM=\(term): \(screen)")
            XCTAssertTrue(screen.contains(" echo ") && screen.contains(" icanon "), "TERM=\(term): \(screen)")
            XCTAssertEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}#{alternate_on}"), "0000", "TERM=\(term)")
        }
    }

    /// With no locale configured (LC_ALL=C, as in many containers) the boxes,
    /// bars and heatmaps are still drawn, in UTF-8, not left blank.
    func testUnconfiguredLocaleStillDrawsTheScreen() throws {
        let t = try Tmux(command: "env -u LANG -u LC_CTYPE LC_ALL=C '\(Binary.path)' draw --weights '\(weights)'")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.one)
        try t.wait(until: "box lines, the 1's bar and the heatmap blocks are drawn") {
            $0.contains("┌─ draw") && $0.contains("prediction: 1") && $0.contains("████") && $0.contains("▀")
        }
    }

    /// A crash (a Swift trap) must still hand back a usable terminal.
    func testCrashRestoresTheTerminal() throws {
        let t = try Tmux(command: "DIGITS_TEST_CRASH=1 '\(Binary.path)' draw --weights '\(weights)' 2>/dev/null")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.one)                 // the first frame with ink traps
        let screen = try t.wait(for: "__STTY__")
        XCTAssertFalse(screen.contains("__EXIT__ 0"), "the test crash did not happen")
        XCTAssertTrue(screen.contains(" echo ") && screen.contains(" icanon "), screen)
        XCTAssertEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}#{cursor_flag}#{alternate_on}"), "00010")
        XCTAssertEqual(try t.format("#{keypad_cursor_flag}#{keypad_flag}"), "00", "keypad mode left on after a crash")
    }

    func testSuspendAndResumeRedraws() throws {
        // Ctrl-Z needs a shell with job control, as a person's terminal has.
        let t = try Tmux(command: "bash --norc --noprofile -i")
        usleep(300_000)
        try t.literal("'\(Binary.path)' draw --weights '\(weights)'\r")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.one)
        try t.wait(for: "prediction: 1")
        try t.keys("C-z")
        try t.wait(for: "Stopped")
        XCTAssertEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}"), "000", "no mouse reporting while stopped")
        try t.literal("fg\r")
        try t.wait(for: "prediction: 1")
        XCTAssertNotEqual(try t.format("#{mouse_button_flag}#{mouse_sgr_flag}"), "00", "mouse reporting back on")
        try t.stroke([(4, 20), (24, 20)])
        try quit(t)
        // Type the next command only once the app is gone, or the app reads it.
        try t.wait(until: "the app has left the screen") { $0.range(of: ScreenText.reading, options: .regularExpression) == nil }
        try t.literal("echo __DONE__ $?\r")
        try t.wait(for: "__DONE__ 0")
    }

    /// Retrain seed003 for one epoch from the menu; the canvas keeps answering;
    /// keep the new model and it predicts.
    func testRetrainFromTheMenu() throws {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to retrain from the menu") }
        let t = try start("--data '\(data)'")
        try t.keys("F2")
        try t.wait(for: "Retrain on MNIST")
        // seed003, 1 epoch, batch 64: the dialog's defaults; the seed (the last field)
        // is set, so the model trained is the same every run and reads the same.
        try t.keys("Up", "C-u")
        try t.literal("7")
        try t.wait(forPattern: "seed +7▏")
        try t.keys("Enter")
        try t.wait(for: "training seed003")
        try t.wait(for: "img/s", timeout: 30)
        // A run in progress is not stopped by q without a question.
        try t.keys("q")
        try t.wait(for: "Training is still running; quitting stops it.")
        try t.keys("Escape")
        // The canvas answers while training runs.
        try t.stroke(Glyphs.seven)
        try t.wait(for: "prediction: 7")
        try t.wait(until: "the training panel shows accuracy and loss", timeout: 30) { $0.contains("accuracy") && $0.contains("loss") }
        // Its title drops whole parts to fit, never cut mid-word ("Esc: canc─┐" before).
        try t.wait(until: "the training panel's title ends with a whole part") { $0.contains(" · Esc: cancel ─") }
        try t.wait(for: "training finished", timeout: 120)
        // Not modal (issue 11): drawing and keys go on while it waits for y or n.
        try t.keys("c")
        try t.wait(for: "draw a digit")
        try t.stroke(Glyphs.one)
        try t.wait(until: "the canvas reads a 1 while the question waits") { $0.contains("prediction: 1") && $0.contains("training finished") }
        // The waiting model is not lost to a quit or a new run without a word.
        try t.keys("q")
        try t.wait(for: "The model just trained is neither kept nor saved.")
        try t.keys("Escape")
        try t.keys("F2")
        try t.wait(for: "keep (y) or discard (n) the new model first")
        // The menu dims Retrain meanwhile (grey 245, the theme's dim).
        try t.keys("m")
        try t.wait(for: "Retrain…")
        XCTAssertTrue(try t.screen(escapes: true).contains("245mRetrain…"), "Retrain is not dimmed in the menu")
        try t.keys("Escape")
        try t.keys("y")
        try t.wait(for: "Save weights as")
        try t.keys("Escape")
        try t.wait(until: "the title names the unsaved seed003") { $0.contains("digits · seed003") && $0.contains("unsaved") }
        try t.keys("c")
        try t.stroke(Glyphs.one)
        try assertReads(t, 1)
        try t.keys("q")
        try t.wait(until: "the quit question names the unsaved model, not the drawing") {
            $0.contains("The model trained in this session is not saved.") && !$0.contains("drawing")
        }
        try t.keys("q")
        try t.wait(for: "__EXIT__ 0")
    }
}

extension Process {
    static func runAndRead(_ path: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: d, as: UTF8.self)
    }
}
