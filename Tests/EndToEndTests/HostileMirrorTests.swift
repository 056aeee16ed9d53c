import Foundation
import XCTest
@testable import DigitData

/// `fetch-mnist` against a misbehaving mirror on 127.0.0.1 (an endless body, a
/// body over the size cap, a server that trickles one byte a second) and
/// against mirror URLs that are not http(s) with a host. Every run is bounded
/// in time, so a hang or an unbounded buffer fails instead of stalling.
final class HostileMirrorTests: XCTestCase {
    var server: Process?
    var root: String!
    let port = Int.random(in: 20_000...40_000)
    var mirror: String { "http://127.0.0.1:\(port)" }

    /// Paths: /endless/* = 200, no Content-Length, zeros until the client hangs up;
    /// /huge/* = Content-Length 100,000,000 then one byte a second;
    /// /trickle/* = Content-Length 5,000,000 (a plausible size) then one byte a second;
    /// /ping = a short answer, to know the server is up.
    static let serverScript = """
    import sys, time, http.server
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        def log_message(self, *a): pass
        def do_GET(self):
            self.send_response(200)
            if self.path == "/ping":
                self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok"); return
            if self.path.startswith("/huge/"): self.send_header("Content-Length", "100000000")
            if self.path.startswith("/trickle/"): self.send_header("Content-Length", "5000000")
            self.end_headers()
            try:
                if self.path.startswith("/endless/"):
                    block = bytes(1 << 16)
                    while True: self.wfile.write(block)
                else:
                    while True:
                        self.wfile.write(b"\\0"); self.wfile.flush(); time.sleep(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
    http.server.ThreadingHTTPServer.daemon_threads = True
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
    """

    override func setUpWithError() throws {
        root = try temporaryDirectory()
        let script = root + "/server.py"
        try Self.serverScript.write(toFile: script, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, String(port)]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        server = p
        for _ in 0..<50 {
            // Through the product's own downloader: the tests link no URLSession.
            if (try? MNISTDownload.download("\(mirror)/ping", timeout: 1)) != nil { return }
            usleep(100_000)
        }
        throw XCTSkip("the local HTTP server did not start")
    }

    override func tearDown() {
        server?.terminate()
        server?.waitUntilExit()
        if let r = root { try? FileManager.default.removeItem(atPath: r) }
    }

    /// The lines of stderr that are errors (progress lines do not start with "digits:").
    func errorLines(_ r: Run) -> [String] {
        r.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("digits:") }
    }

    /// Fails, with one error line, after downloading nothing to `dir`.
    func assertFailsClearly(_ r: Run, dir: String, mentioning text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.timedOut, "still running: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.status, 1, r.stderr, file: file, line: line)
        XCTAssertEqual(errorLines(r).count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), r.stderr, file: file, line: line)
        XCTAssertFalse(r.stderr.contains("crashed"), r.stderr, file: file, line: line)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        XCTAssertEqual(left, [], "nothing written", file: file, line: line)
    }

    /// An endless body stops at the size cap (before: the whole body was
    /// buffered, 2 GB in 4 s, then a crash). Bounded in time: the run is killed
    /// (and fails) if it is still going after 30 s.
    func testEndlessBodyStopsAtTheSizeCap() throws {
        let dir = root + "/endless"
        let r = try Binary.run(["fetch-mnist", "--dir", dir, "--timeout", "3", "--mirror", "\(mirror)/endless/"], timeout: 30)
        assertFailsClearly(r, dir: dir, mentioning: "sent more than 67,108,864 bytes")
    }

    /// A Content-Length over the cap is refused before any of the body is read:
    /// at once, not after the server's one byte a second.
    func testContentLengthOverTheCapIsRefusedAtOnce() throws {
        let dir = root + "/huge"
        let start = Date()
        let r = try Binary.run(["fetch-mnist", "--dir", dir, "--timeout", "30", "--mirror", "\(mirror)/huge/"], timeout: 20)
        assertFailsClearly(r, dir: dir, mentioning: "announces 100,000,000 bytes, more than 67,108,864")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// A server that keeps sending a byte a second never goes silent for
    /// `--timeout` (2 s here), but the whole file is bounded by 10 × `--timeout`
    /// (before: this ran for good; the session's own resource timeout was never enforced).
    func testTricklingServerHitsTheWholeFileDeadline() throws {
        let dir = root + "/trickle"
        let start = Date()
        let r = try Binary.run(["fetch-mnist", "--dir", dir, "--timeout", "2", "--mirror", "\(mirror)/trickle/"], timeout: 28)
        assertFailsClearly(r, dir: dir, mentioning: "not finished after 20 seconds")
        XCTAssertLessThan(Date().timeIntervalSince(start), 27)
    }

    /// Silence longer than `--timeout` (a byte a second against 0.5 s) ends the
    /// download at once, saying so.
    func testSilenceLongerThanTheTimeoutEndsTheDownload() throws {
        let dir = root + "/silent"
        let r = try Binary.run(["fetch-mnist", "--dir", dir, "--timeout", "0.5", "--mirror", "\(mirror)/trickle/"], timeout: 10)
        assertFailsClearly(r, dir: dir, mentioning: "no data from the server for 0.5 seconds")
    }

    /// A mirror that is not an http(s) URL with a host is bad usage: one line, exit 2, nothing tried.
    func testBadMirrorsAreRefusedUpFront() throws {
        let dir = root + "/bad-mirror"
        for bad in ["not a url", "ftp://127.0.0.1/mnist/", "file:///etc/passwd", "http://", "http:///mnist/", "127.0.0.1:8000", ""] {
            for (args, env) in [(["--mirror", bad], [String: String]()), ([], ["DIGITS_MNIST_MIRROR": bad])] where !(bad.isEmpty && !env.isEmpty) {
                let r = try Binary.run(["fetch-mnist", "--dir", dir] + args, env: env, timeout: 10)
                XCTAssertFalse(r.timedOut, "\(bad): still running")
                XCTAssertEqual(r.status, 2, "\(bad) \(env): \(r.stderr)")
                let lines = r.stderr.split(separator: "\n")
                XCTAssertEqual(lines.count, 1, "\(bad) \(env): \(r.stderr)")
                XCTAssertTrue(lines.first?.hasPrefix("digits: ") == true, r.stderr)
                XCTAssertTrue(r.stderr.contains("http:// or https:// URL with a host"), r.stderr)
                XCTAssertFalse(r.stderr.contains("downloading"), r.stderr)
                XCTAssertFalse(FileManager.default.fileExists(atPath: dir), "\(bad): nothing created")
            }
        }
    }

    /// An empty DIGITS_MNIST_MIRROR counts as unset: not tried as a mirror of its own.
    func testEmptyEnvironmentMirrorIsIgnored() throws {
        let dir = root + "/empty-env"
        let r = try Binary.run(["fetch-mnist", "--dir", dir, "--timeout", "3", "--mirror", "http://127.0.0.1:9/"],
                               env: ["DIGITS_MNIST_MIRROR": ""], timeout: 20)
        XCTAssertFalse(r.timedOut)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: ": downloading ").count - 1, 1, "only --mirror is tried: \(r.stderr)")
    }
}
