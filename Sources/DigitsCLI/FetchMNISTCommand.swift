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
    @Option(help: "A mirror URL to try first (repeatable); files are <mirror>/<name>.gz.") var mirror: [String] = []
    @Option(parsing: .unconditional, help: "Seconds to wait for a server before trying the next mirror.") var timeout: Double = 30

    func validate() throws {
        try checkOptions { try OptionRules.timeout.check(timeout, option: "--timeout") }
    }

    func run() throws {
        let target = dir ?? DataLocator.xdgDirectory(for: .mnist)
        try AtomicFile.makeDirectory(target)
        let envMirror = ProcessInfo.processInfo.environment["DIGITS_MNIST_MIRROR"].map { [$0] } ?? []
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
