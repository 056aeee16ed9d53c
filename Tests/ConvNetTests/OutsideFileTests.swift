import Foundation
import XCTest
@testable import ConvNet

/// Calls `body` on another thread and fails if it has not returned after
/// `seconds`: a reader that waits forever fails the test instead of hanging it.
/// `unblock` is then called to let the stuck call return.
func returnsPromptly(_ what: String, within seconds: Double = 5, unblock: () -> Void = {}, _ body: @escaping @Sendable () -> Void,
                     file: StaticString = #filePath, line: UInt = #line) {
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread { body(); done.signal() }
    if done.wait(timeout: .now() + seconds) == .timedOut {
        XCTFail("\(what) did not return within \(seconds) s", file: file, line: line)
        unblock()
        _ = done.wait(timeout: .now() + 5)
    }
}

/// Makes a FIFO, and opening it for writing releases a reader stuck opening it.
func makeFIFO(_ path: String) throws -> () -> Void {
    guard mkfifo(path, 0o600) == 0 else { throw XCTSkip("mkfifo failed: \(errnoText())") }
    return {
        let fd = open(path, O_WRONLY | O_NONBLOCK)
        if fd >= 0 { close(fd) }
    }
}

final class OutsideFileTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "digits-outside-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// open(2) of a FIFO waits for a writer: every reader must refuse it at once.
    func testAFIFOIsRefusedWithoutWaiting() throws {
        let path = dir + "/weights.safetensors"
        let unblock = try makeFIFO(path)
        final class Box: @unchecked Sendable { var errors: [String] = [] }
        let box = Box()
        returnsPromptly("reading a FIFO", unblock: unblock) {
            do { _ = try readFile(path, limit: 1 << 20) } catch { box.errors.append("\(error)") }
            do { _ = try Safetensors.read(path) } catch { box.errors.append("\(error)") }
            do { _ = try WeightsFile.load(path) } catch { box.errors.append("\(error)") }
        }
        XCTAssertEqual(box.errors, Array(repeating: "\(path): is not a regular file", count: 3))
    }

    func testDevicesAreNotRegularFiles() {
        XCTAssertThrowsError(try readFile("/dev/zero", limit: 1 << 20)) { XCTAssertTrue("\($0)".hasSuffix("is not a regular file"), "\($0)") }
    }

    /// The header length is checked before anything else is read: a 1 GB
    /// (sparse) file with a bad header costs 8 bytes of reading, not 1 GB of memory.
    func testSafetensorsHeaderIsCheckedBeforeTheTensorBytes() throws {
        let path = dir + "/big.safetensors"
        let json = Array(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.utf8)
        for (name, header) in [("length", [UInt8](repeating: 0xFF, count: 8)),
                               ("table", withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json)] {
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(header)))
            XCTAssertEqual(truncate(path, off_t(Safetensors.Limits.fileBytes)), 0)
            let before = peakResidentBytes()
            let start = Date()
            XCTAssertThrowsError(try Safetensors.read(path), name) {
                XCTAssertTrue("\($0)".contains(name == "length" ? "over the limit" : "belong to none"), "\($0)")
            }
            XCTAssertLessThan(peakResidentBytes() - before, 100 << 20, "\(name): the tensor bytes were read")
            XCTAssertLessThan(Date().timeIntervalSince(start), 0.5, name)
        }
    }

    /// A tensor name of newlines and escape sequences (setting the terminal's
    /// title and colour) reaches the message escaped, on one line.
    func testTensorNamesAreEscapedInMessages() throws {
        let evil = "x\n\u{1B}]0;pwned\u{7}\u{1B}[31mred\u{0}cut"
        let file = Safetensors(tensors: [(evil, .init(shape: [1], values: [1]))], metadata: [("spec", "in8x8x1-flatten-dense10")])
        let path = dir + "/evil.safetensors"
        try file.write(to: path)
        XCTAssertThrowsError(try WeightsFile.load(path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(#"tensor 'x\n\e]0;pwned\x07\e[31mred\x00cut' does not belong"#), text)
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 }, text)
        }
        let json = Array(#"{"t":{"dtype":"\u001b32","shape":[1],"data_offsets":[0,4]}}"#.utf8)
        let bad = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + [0, 0, 0, 0]
        XCTAssertThrowsError(try Safetensors.decode(bad)) { error in
            XCTAssertTrue("\(error)".contains(#"is \e32; only F32"#), "\(error)")
        }
    }

    func testEscapingForMessages() {
        XCTAssertEqual("plain 'text' é 7".escapedForMessage(), "plain 'text' é 7")
        XCTAssertEqual("a\nb\r\t\u{1B}[2J\u{0}\u{7F}".escapedForMessage(), #"a\nb\r\t\e[2J\x00\x7f"#)
        XCTAssertEqual("\u{9B}31m \u{202E}abc \u{2028}".escapedForMessage(), #"\u{9b}31m \u{202e}abc \u{2028}"#)
        XCTAssertEqual(String(repeating: "a", count: 500).escapedForMessage(limit: 5), "aaaaa…")
        // Escaping twice changes nothing, so a printer may escape a message again.
        let once = "x\n\u{1B}\\n".escapedForMessage()
        XCTAssertEqual(once.escapedForMessage(), once)
        XCTAssertEqual(String.escapedForMessage(bytes: [0x41, 0x1B, 0xFF, 0xC3, 0xA9, 0xC3, 0x0A]), #"A\e\xffé\xc3\n"#)
    }

    private func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }
}
