import ArgumentParser
import ConvNet
import DigitData
import DigitTUI
#if canImport(Glibc)
import Glibc
#endif

// The entry point: parse, run, and turn every failure into one line on stderr
// with the documented exit code (1 bad input, 2 bad usage). No stack traces.
setvbuf(stdout, nil, _IOLBF, 0)
do {
    var command = try Digits.parseAsRoot()
    try command.run()
} catch let e as ExitCode {
    exit(e.rawValue)
} catch let e as UserError {
    fputs("digits: \(e.message)\n", stderr)
    exit(e.code)
} catch let e as FileError {
    fputs("digits: \(e)\n", stderr)
    exit(1)
} catch let e as SpecError {
    fputs("digits: \(e)\n", stderr)
    exit(2)
} catch let e as TerminalError {
    fputs("digits: \(e)\n", stderr)
    exit(1)
} catch let e as DataNotFound {
    fputs("digits: \(e)\n", stderr)
    exit(1)
} catch {
    let code = Digits.exitCode(for: error)
    if code == .success {
        print(Digits.fullMessage(for: error))
        exit(0)
    }
    // Usage errors: the message and where to read more, on one line.
    let message = Digits.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
    fputs("digits: \(message) (see 'digits --help')\n", stderr)
    exit(2)
}
