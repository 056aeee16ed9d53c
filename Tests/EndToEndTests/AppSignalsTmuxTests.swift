import Foundation
import XCTest

/// Issue 10, item 8: however a signal ends the app, the terminal comes back
/// sane — echo and canonical mode, cursor shown, no mouse reporting, the normal
/// screen, keypad mode off — and the exit status still names the signal.
final class AppSignalsTmuxTests: XCTestCase {
    var weights: String { Binary.packageRoot + "/assets/digitnet.safetensors" }

    override func setUpWithError() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed: the terminal tests need it (apt-get install tmux)") }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary at \(Binary.path)") }
        guard FileManager.default.fileExists(atPath: weights) else { throw XCTSkip("no shipped weights at \(weights)") }
    }

    /// Starts the app (no core files) and returns the pane and the app's pid.
    func start() throws -> (Tmux, pid_t) {
        let marker = "/tmp/digits-signal-marker-\(UUID().uuidString)"
        let t = try Tmux(command: "sh -c \"ulimit -c 0; exec '\(Binary.path)' draw --weights '\(weights)' --data \(marker)\"")
        try t.wait(for: "draw a digit")
        let pids = try Process.runAndRead("/usr/bin/pgrep", ["-f", "^\(Binary.path) draw .*\(marker)"]).split(separator: "\n")
        XCTAssertEqual(pids.count, 1)
        return (t, pid_t(pids.first.flatMap { Int32($0) } ?? 0))
    }

    func assertRestored(_ t: Tmux, _ screen: String, _ how: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(screen.contains(" echo ") && screen.contains(" icanon "), "\(how): stty shows \(screen)", file: file, line: line)
        XCTAssertFalse(screen.contains("-echo ") || screen.contains("-icanon"), how, file: file, line: line)
        XCTAssertEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"), "0000",
                       "\(how): mouse reporting left on", file: file, line: line)
        XCTAssertEqual(try t.format("#{cursor_flag}#{alternate_on}"), "10", "\(how): cursor hidden or still on the alternate screen", file: file, line: line)
        XCTAssertEqual(try t.format("#{keypad_cursor_flag}#{keypad_flag}"), "00", "\(how): keypad mode left on", file: file, line: line)
    }

    func testEveryFatalSignalRestoresTheTerminalAndEndsTheAppByThatSignal() throws {
        let signals: [(String, Int32)] = [
            ("USR1", SIGUSR1), ("USR2", SIGUSR2), ("ALRM", SIGALRM), ("PIPE", SIGPIPE), ("XCPU", SIGXCPU),
            ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("SEGV", SIGSEGV), ("ABRT", SIGABRT), ("BUS", SIGBUS),
            ("FPE", SIGFPE), ("RTMIN+3", SIGRTMIN + 3),
        ]
        for (name, sig) in signals {
            let (t, pid) = try start()
            XCTAssertEqual(try t.format("#{keypad_cursor_flag}#{keypad_flag}"), "11", "keypad mode should be on while running")
            kill(pid, sig)
            let screen = try t.wait(for: "__STTY__")
            XCTAssertTrue(screen.contains("__EXIT__ \(128 + sig)"), "SIG\(name) should end the app by itself: \(screen)")
            try assertRestored(t, screen, "SIG\(name)")
        }
    }

    /// SIGQUIT quits like SIGTERM: no crash report over the screen, a clean quit whose
    /// status names the signal (131), as SIGINT's (130) and SIGTERM's (143) do.
    func testSigquitQuitsCleanly() throws {
        let (t, pid) = try start()
        try t.stroke(Glyphs.one)
        try t.wait(for: "prediction: 1")
        kill(pid, SIGQUIT)
        let screen = try t.wait(for: "__STTY__")
        XCTAssertTrue(screen.contains("__EXIT__ \(128 + SIGQUIT)"), screen)
        XCTAssertFalse(screen.contains("crashed") || screen.contains("Quit"), "a crash report was printed: \(screen)")
        try assertRestored(t, screen, "SIGQUIT")
    }

    /// SIGINT sent by kill: a clean quit with 130 (Ctrl-C as a key in raw mode quits with 0).
    func testSigintQuitsCleanlyWithItsStatus() throws {
        let (t, pid) = try start()
        kill(pid, SIGINT)
        let screen = try t.wait(for: "__STTY__")
        XCTAssertTrue(screen.contains("__EXIT__ \(128 + SIGINT)"), screen)
        try assertRestored(t, screen, "SIGINT")
    }

    /// Ctrl-\\, the terminal's quit key, reaches the app as a key in raw mode: it quits with 0.
    func testCtrlBackslashQuits() throws {
        let (t, _) = try start()
        try t.keys("C-\\")
        let screen = try t.wait(for: "__STTY__")
        XCTAssertTrue(screen.contains("__EXIT__ 0"), screen)
        try assertRestored(t, screen, "Ctrl-\\")
    }
}

private let SIGRTMIN = __libc_current_sigrtmin()
