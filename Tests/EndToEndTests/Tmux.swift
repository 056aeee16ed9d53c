import DigitData
import Foundation
import XCTest

/// A private tmux server running one command in a pane of a fixed size: the way
/// a person would use the app, with keys and SGR 1006 mouse reports sent to it.
final class Tmux {
    let socket = "digits-test-\(UUID().uuidString.prefix(8))"
    let session = "app"

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    /// Starts `command` (a shell line); after it ends, the pane prints a marker
    /// with the exit code and the terminal settings, then stays open to be read.
    init(width: Int = 120, height: Int = 40, command: String, env: [String: String] = [:], directory: String? = nil) throws {
        // The app's digit keys save samples under $XDG_DATA_HOME: never in the real home.
        var env = env
        if env["XDG_DATA_HOME"] == nil { env["XDG_DATA_HOME"] = NSTemporaryDirectory() + "digits-tmux-xdg-\(UUID().uuidString)" }
        let exports = env.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // `swift test` runs tests with NO_COLOR=1, which would put every app here
        // in its monochrome mode; a test that wants that mode sets it itself.
        let line = "env -u NO_COLOR TERM=xterm-256color \(exports) \(command); echo __EXIT__ $?; stty -a | tr '\\n' ' '; echo; echo __STTY__; sleep 120"
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)"] + (directory.map { ["-c", $0] } ?? []) + [line], capture: false)
    }

    deinit { _ = try? run(["kill-server"], capture: false) }

    /// Runs a tmux client command through the shell. Not through Foundation's
    /// Process: the tmux server that the first command starts inherits the
    /// descriptor Process watches for the child's exit, and it would wait forever.
    @discardableResult
    func run(_ args: [String], capture: Bool = true) throws -> String {
        let line = (["tmux", "-L", socket, "-f", "/dev/null"] + args).map(shellQuote).joined(separator: " ")
        guard capture else {
            _ = system(line + " </dev/null >/dev/null 2>&1")
            return ""
        }
        guard let f = popen(line + " 2>/dev/null", "r") else { throw TmuxError.cannotRun }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        pclose(f)
        return String(decoding: out, as: UTF8.self)
    }

    enum TmuxError: Error { case cannotRun }

    func keys(_ k: String...) throws { try run(["send-keys", "-t", session] + k) }
    func literal(_ s: String) throws { try run(["send-keys", "-t", session, "-l", s]) }
    func screen(escapes: Bool = false) throws -> String { try run(["capture-pane", "-t", session, "-p"] + (escapes ? ["-e"] : [])) }
    func format(_ f: String) throws -> String { try run(["display-message", "-t", session, "-p", f]).trimmingCharacters(in: .whitespacesAndNewlines) }
    func resize(_ w: Int, _ h: Int) throws { try run(["resize-window", "-t", session, "-x", "\(w)", "-y", "\(h)"]) }

    /// Waits until the screen contains `text`; fails the test with the screen if it never does.
    @discardableResult
    func wait(for text: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try poll(timeout, "'\(text)' did not appear", file, line) { $0.contains(text) }
    }

    /// Waits until the screen matches the regular expression `pattern`.
    @discardableResult
    func wait(forPattern pattern: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try poll(timeout, "nothing matched /\(pattern)/", file, line) { $0.range(of: pattern, options: .regularExpression) != nil }
    }

    /// Waits until one capture of the screen passes `done`. A capture can land in
    /// the middle of a redraw (tmux parses the app's output in chunks), so whatever
    /// a test checks together must be checked on one capture, here, not on the
    /// screen that an earlier wait returned.
    @discardableResult
    func wait(until what: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line,
              _ done: (String) -> Bool) throws -> String {
        try poll(timeout, "never true: \(what)", file, line, until: done)
    }

    private func poll(_ timeout: Double, _ failure: String, _ file: StaticString, _ line: UInt, until done: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if done(last) { return last }
            usleep(50_000)
        }
        XCTFail("\(failure) within \(timeout) s; the screen:\n\(last)", file: file, line: line)
        return last
    }

    // MARK: mouse (SGR 1006, 1-based column and row)

    func press(_ col: Int, _ row: Int, right: Bool = false) throws { try literal("\u{1B}[<\(right ? 2 : 0);\(col);\(row)M") }
    func drag(_ col: Int, _ row: Int) throws { try literal("\u{1B}[<32;\(col);\(row)M") }
    func release(_ col: Int, _ row: Int) throws { try literal("\u{1B}[<0;\(col);\(row)m") }

    /// Where the canvas is on screen: the full layout's (two columns per pixel) or
    /// the compact one's (a column per pixel, two pixels per row).
    enum Canvas {
        case full, compact
        /// The 1-based screen cell of canvas pixel p.
        func cell(_ p: (Double, Double)) -> (Int, Int) {
            switch self {
            case .full: (2 + Int(p.0 * 2), 3 + Int(p.1))
            case .compact: (2 + Int(p.0), 3 + Int(p.1 / 2))
            }
        }
    }

    /// Draws a polyline through canvas pixels (0…27), as a drag with reports
    /// every few pixels (like a fast hand), between a press and a release.
    func stroke(_ points: [(Double, Double)], on canvas: Canvas = .full) throws {
        let cell = canvas.cell
        let first = cell(points[0])
        var reports = "\u{1B}[<0;\(first.0);\(first.1)M"
        for p in points.dropFirst() { let c = cell(p); reports += "\u{1B}[<32;\(c.0);\(c.1)M" }
        let last = cell(points.last!)
        reports += "\u{1B}[<0;\(last.0);\(last.1)m"
        try literal(reports)
    }
}

/// Shapes of digits as canvas polylines, drawn the way people draw them.
enum Glyphs {
    static let one: [(Double, Double)] = [(12, 7), (14, 4), (14, 10), (14, 16), (14, 23)]
    static let seven: [(Double, Double)] = [(7, 5), (12, 5), (20, 5), (17, 11), (14, 17), (12, 23)]
    static var zero: [(Double, Double)] {
        (0...24).map { i in
            let a = Double(i) / 24 * 2 * Double.pi
            return (14 + 6 * sin(a), 14 - 9 * cos(a))
        }
    }
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
