import Foundation
import XCTest

/// Runs the `digits` binary as a user would and collects what it printed.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Killed after `Binary.run`'s timeout: it was still running (a hang).
    var timedOut = false
}

enum Binary {
    /// The release binary `make test` names in $DIGITS_BIN, else the one built beside the tests.
    static var path: String {
        if let p = ProcessInfo.processInfo.environment["DIGITS_BIN"], !p.isEmpty { return p }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("digits").path
    }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static var dataDirectory: String? {
        guard let d = ProcessInfo.processInfo.environment["DIGITS_DATA"], !d.isEmpty else { return nil }
        return d
    }

    /// Runs the binary (or `executable`, such as a Python for a reference script).
    /// With `timeout`, a run still going after that many seconds is killed and
    /// comes back `timedOut`, so a hang fails a test instead of stalling it.
    @discardableResult
    static func run(_ args: [String], env: [String: String] = [:], cwd: String? = nil, executable: String? = nil,
                    timeout: Double? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable ?? path)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        if let c = cwd { p.currentDirectoryURL = URL(fileURLWithPath: c) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box(), errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        var timedOut = false
        if let seconds = timeout, group.wait(timeout: .now() + seconds) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            timedOut = true
        }
        group.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
                   stderr: String(decoding: errBox.data, as: UTF8.self), timedOut: timedOut)
    }

    static func json(_ text: String) throws -> [String: Any] {
        let line = text.split(separator: "\n").last.map(String.init) ?? ""
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(text)")
    }
}

func temporaryDirectory() throws -> String {
    let d = NSTemporaryDirectory() + "digits-e2e-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}
