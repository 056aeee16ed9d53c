import ArgumentParser
import ConvNet
import DigitData
import DigitTUI
import Glibc

/// The entry point: parse, run, and turn every failure into one line on stderr
/// with the documented exit code (1 bad input, 2 bad usage). No stack traces,
/// and no byte from outside reaches the terminal raw (see `Diagnostics`).
public enum DigitsMain {
    public static func run(_ arguments: [String]? = nil) -> Never {
        // A closed pipe on stdout (`digits summary | head -1`) is an EPIPE error
        // to notice at exit, not a signal that kills the process mid-line.
        signal(SIGPIPE, SIG_IGN)
        setvbuf(stdout, nil, _IOLBF, 0)
        var status: Int32 = 0
        do {
            var command = try Digits.parseAsRoot(arguments)
            try command.run()
        } catch {
            status = Diagnostics.report(error)
        }
        exit(StandardOutput.finish(status: status))
    }
}

/// An error that the command line reports as one line and an exit code.
protocol Reportable: Error {
    var exitCode: Int32 { get }
    var message: String { get }
}

extension UserError: Reportable { var exitCode: Int32 { code } }
extension FileError: Reportable { var exitCode: Int32 { 1 }; var message: String { description } }
extension SpecError: Reportable { var exitCode: Int32 { 2 }; var message: String { description } }
extension TerminalError: Reportable { var exitCode: Int32 { 1 }; var message: String { description } }
extension DataNotFound: Reportable { var exitCode: Int32 { 1 }; var message: String { description } }
extension OptionProblem: Reportable { var exitCode: Int32 { 2 }; var message: String { description } }
extension SettingProblem: Reportable { var exitCode: Int32 { 2 }; var message: String { description } }
extension TrainingDataError: Reportable { var exitCode: Int32 { 1 }; var message: String { description } }
extension LettersAreNotDigits: Reportable { var exitCode: Int32 { 2 }; var message: String { description } }
extension TrainingDiverged: Reportable { var exitCode: Int32 { 1 }; var message: String { description } }

/// The one place where errors are printed.
enum Diagnostics {
    /// Prints `error` as one line on stderr (or `--help`'s text on stdout) and
    /// returns the exit code.
    static func report(_ error: Error) -> Int32 {
        if let e = error as? ExitCode { return e.rawValue }
        if let e = error as? Reportable {
            printLine(e.message)
            return e.exitCode
        }
        let code = Digits.exitCode(for: error)
        if code == .success {
            print(Digits.fullMessage(for: error))
            return 0
        }
        let message = Digits.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
        if code == .validationFailure {
            // Usage errors: the message and where to read more, on one line.
            printLine("\(message) (see 'digits --help')")
            return 2
        }
        printLine(message)
        return 1
    }

    /// "digits: <message>" on stderr, every control byte escaped.
    static func printLine(_ message: String) {
        fputs("digits: \(escaped(message))\n", stderr)
    }

    /// The text with control characters written as visible escapes (the one
    /// escaping rule, `escapedForMessage`), so a file name or a field from a file
    /// can neither cut the line (NUL), break it (newline) nor steer the terminal
    /// (ESC sequences).
    static func escaped(_ text: String) -> String { text.escapedForMessage(limit: .max) }
}

/// Standard output's fate, checked at exit: output lost to a full disk or a
/// closed descriptor is an error (one line, exit 1); a reader that has gone
/// away (`| head -1`) is a quiet end.
enum StandardOutput {
    static func finish(status: Int32) -> Int32 {
        errno = 0
        let flushFailed = fflush(stdout) != 0
        let why = errno
        guard flushFailed || ferror(stdout) != 0 else { return status }
        if why == EPIPE || readerHasGone() { return status }
        // A failed line-buffered write earlier leaves only the error flag (and no errno) behind.
        Diagnostics.printLine("cannot write the output" + (flushFailed && why != 0 ? ": \(String(cString: strerror(why)))" : " to standard output"))
        return status == 0 ? 1 : status
    }

    /// A pipe whose reading end is closed reports an error condition when polled.
    static func readerHasGone() -> Bool {
        var p = pollfd(fd: 1, events: 0, revents: 0)
        return poll(&p, 1, 0) == 1 && (p.revents & Int16(POLLERR)) != 0
    }
}
