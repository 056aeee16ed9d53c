import Foundation
import ArgumentParser
import ConvNet
import DigitData
import Glibc

/// `digits fetch-mnist`: puts verified MNIST files where `train` and `eval` look.
struct FetchMNISTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-mnist",
        abstract: "Download MNIST into the data directory, verifying every file's content (SHA-256).")

    @Option(help: "Where to put the files (default: $XDG_DATA_HOME/digits/mnist).") var dir: String?
    @Option(help: "An http:// or https:// mirror URL to try first (repeatable); files are <mirror>/<name>.gz. $DIGITS_MNIST_MIRROR adds one more (an empty value counts as unset).") var mirror: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds a server may stay silent (connecting, or between two pieces of data) before the next mirror is tried; a whole file may take at most \(Int(MNISTDownload.Limits.wholeFileTimeouts)) times this.")) var timeout: Double = 30

    func validate() throws {
        try checkOptions { try OptionRules.timeout.check(timeout, option: "--timeout") }
        // Mirrors come from outside: only http(s) with a host, refused before any download.
        for m in mirror {
            if let problem = MNISTDownload.mirrorProblem(m) { throw ValidationError("--mirror '\(m.escapedForMessage())' \(problem)") }
        }
        if let m = environmentMirror, let problem = MNISTDownload.mirrorProblem(m) {
            throw ValidationError("DIGITS_MNIST_MIRROR='\(m.escapedForMessage())' \(problem)")
        }
    }

    /// $DIGITS_MNIST_MIRROR, nil when unset or empty (an empty value is how a
    /// shell says "unset", as with $XDG_DATA_HOME).
    var environmentMirror: String? {
        ProcessInfo.processInfo.environment["DIGITS_MNIST_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() throws {
        let target = dir ?? DataLocator.xdgDirectory(for: .mnist)
        try AtomicFile.makeDirectory(target)
        let envMirror = environmentMirror.map { [$0] } ?? []
        let mirrors = mirror + envMirror + (mirror.isEmpty && envMirror.isEmpty ? MNISTDownload.defaultMirrors : [])
        try MNISTDownload.fetch(into: target, mirrors: mirrors, timeout: timeout) { event in
            // Mirrors and a server's answers come from outside: escaped like every error.
            func say(_ line: String) { fputs(Diagnostics.escaped(line) + "\n", stderr) }
            switch event {
            case let .skipped(n): say("\(n): already present and verified")
            case let .downloading(n, url): say("\(n): downloading \(url)")
            case let .saved(path, bytes): say("  saved \(path) (\(Format.thousands(bytes)) bytes, content verified)")
            case let .mirrorFailed(_, why): say("  failed: \(why)")
            }
        }
        print("MNIST is ready in \(Diagnostics.escaped(target))")
    }
}
