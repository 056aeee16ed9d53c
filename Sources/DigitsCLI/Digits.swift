import ArgumentParser

/// `digits`: the root command. Bare `digits` opens the drawing app.
struct Digits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Draw a digit in the terminal and watch a convolutional network read it.",
        discussion: """
        Data is found by --data DIR, else $DIGITS_DATA, else $XDG_DATA_HOME/digits/<dataset> \
        (default ~/.local/share/digits/<dataset>). Weights default to the shipped model; \
        --weights FILE or $DIGITS_WEIGHTS override it.
        """,
        subcommands: [DrawCommand.self, TrainCommand.self, EvalCommand.self, PredictCommand.self, MapsCommand.self,
                      SummaryCommand.self, CVCommand.self, BenchCommand.self, FetchMNISTCommand.self,
                      SamplesCommand.self, TeachCommand.self, TeachBenchCommand.self],
        defaultSubcommand: DrawCommand.self
    )
}

/// A failure the user can act on, with its exit code (1 bad input, 2 bad usage).
struct UserError: Error {
    let message: String
    let code: Int32
    init(_ message: String, code: Int32 = 1) { self.message = message; self.code = code }
}
