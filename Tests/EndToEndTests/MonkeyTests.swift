import Foundation
import XCTest
import ConvNet

/// Random input from a fixed seed, as fast as tmux delivers it: the app must
/// stay alive, keep answering, and give the terminal back at the end.
/// `DIGITS_MONKEY_EVENTS` sets the count (default 1,000; the long run is 10,000).
final class MonkeyTests: XCTestCase {
    func testRandomInputNeverKillsTheApp() throws {
        guard Tmux.available else { throw XCTSkip("tmux is not installed") }
        let weights = Binary.packageRoot + "/assets/digitnet.safetensors"
        guard FileManager.default.fileExists(atPath: weights), FileManager.default.isExecutableFile(atPath: Binary.path) else {
            throw XCTSkip("needs the binary and the shipped weights")
        }
        let events = Int(ProcessInfo.processInfo.environment["DIGITS_MONKEY_EVENTS"] ?? "") ?? 1000
        let cwd = try temporaryDirectory()   // the monkey may save files: keep them out of the tree
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        // No data directory: a retrain the monkey starts fails fast with a message instead of loading the CPU.
        let t = try Tmux(command: "'\(Binary.path)' draw --weights '\(weights)' --data '\(cwd)/no-data'", directory: cwd)
        try t.wait(for: "draw a digit")
        var rng = RNG(seed: 2026)
        // Everything but the keys that end or suspend the app.
        let keys = ["Up", "Down", "Left", "Right", "Space", "Enter", "Escape", "Tab", "BTab", "PageUp", "PageDown", "BSpace",
                    "F1", "F2", "F3", "F4", "F5", "F6", "F9", "F12", "e", "c", "u", "[", "]", "h", "j", "k", "l", "m", "t", "r",
                    "s", "o", "<", ">", "?", "x", "7", "é", "D"]
        var width = 120, height = 40
        var sent = 0
        while sent < events {
            switch rng.below(100) {
            case 0..<40:
                try t.keys(keys[rng.below(keys.count)])
            case 40..<90:
                // A press, a few drags and a release, sometimes far outside the window.
                let wild = rng.below(10) == 0
                func coord(_ limit: Int) -> Int { wild ? rng.below(2000) : 1 + rng.below(limit) }
                var burst = "\u{1B}[<\(rng.below(3) == 0 ? 2 : 0);\(coord(width));\(coord(height))M"
                for _ in 0..<rng.below(6) { burst += "\u{1B}[<32;\(coord(width));\(coord(height))M" }
                burst += "\u{1B}[<0;\(coord(width));\(coord(height))m"
                try t.literal(burst)
            case 90..<95:
                // Malformed reports: truncated, oversized numbers, wheel events.
                let junk = ["\u{1B}[<0;", "\u{1B}[<64;10;10M", "\u{1B}[<99999999999;1;1M", "\u{1B}[<0;5;5;5M", "\u{1B}[<35;3;3M"]
                try t.literal(junk[rng.below(junk.count)])
            default:
                width = 20 + rng.below(231); height = 10 + rng.below(71)
                try t.resize(width, height)
            }
            sent += 1
            if sent % 250 == 0 {
                // Still alive and answering: go back to a known size and look.
                try backToFullSize(t)
                width = 120; height = 40
                try t.keys("Escape"); try t.keys("Escape")
                usleep(200_000)
                let screen = try t.screen()
                XCTAssertFalse(screen.contains("__EXIT__"), "the app ended after \(sent) events:\n\(screen)")
                if screen.contains("__EXIT__") { return }
            }
        }
        try backToFullSize(t)
        for _ in 0..<3 { try t.keys("Escape") }
        try t.keys("c")
        usleep(200_000)
        if (try t.screen()).contains("draw · eraser") { try t.keys("e") }   // the monkey may have left the eraser on
        try t.stroke(Glyphs.one)
        try t.wait(for: "prediction: 1", timeout: 10)
        try t.keys("q")
        // A quit may first ask about an unsaved drawing or model.
        usleep(300_000)
        if !(try t.screen()).contains("__EXIT__") { try t.keys("q") }
        let end = try t.wait(for: "__STTY__", timeout: 10)
        XCTAssertTrue(end.contains("__EXIT__ 0"), end)
        XCTAssertEqual(try t.format("#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}#{alternate_on}"), "0000")
    }

    /// Back to 120×40, and waits until the app has drawn it. tmux 3.3 hands a
    /// pane quick successive sizes on a timer (about 250 ms), after the command
    /// has returned: keys sent at once can reach the app while it still has the
    /// monkey's last window, and if that was too small only q acts there (by
    /// design), so an Esc meant to close a form was lost.
    private func backToFullSize(_ t: Tmux) throws {
        try t.resize(120, 40)
        usleep(600_000)
        try t.wait(until: "the full-size layout after a resize") { !$0.contains("at least 80×24") && $0.contains("q quit") }
    }
}
