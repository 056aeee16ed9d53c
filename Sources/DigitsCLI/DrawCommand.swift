import ArgumentParser
import ConvNet
import DigitData
import DigitTUI
import Glibc

/// `digits draw` (and bare `digits`): the drawing app.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw a digit and watch the network read it (the default command).")

    @OptionGroup var weightsOptions: WeightsOptions
    @Option(help: "Where MNIST is, for retraining and evaluating from the menu.") var data: String?
    @Flag(help: "Show per-stroke timing (also F12), and print it on exit.") var debug = false
    @Flag(help: "Use no colours, only shade characters.") var monochrome = false
    @Option(help: "Where the digit keys save your samples (default: $XDG_DATA_HOME/digits/mine).") var samples: String?

    func validate() throws {
        if let s = samples, s.isEmpty { throw ValidationError("--samples needs a directory, not an empty string") }
    }

    func run() throws {
        let (network, file, path) = try weightsOptions.load()
        let model: LiveModel
        do { model = try LiveModel(network: network, source: path, metadata: file.metadata) }
        catch let e as SpecError { throw FileError(path, e.description) }
        let app = App(model: model, dataOption: data)
        app.debug = debug
        app.shippedWeights = Locations.shippedCandidates
        app.samples.store = SampleStore(option: samples)
        app.loadSamples()
        let terminal = try Terminal(forceMonochrome: monochrome)
        EventLoop.run(app, terminal: terminal)
        if debug, let p50 = app.latency.percentile(0.5), let p99 = app.latency.percentile(0.99) {
            fputs("per-stroke latency over \(app.latency.count) updates: p50 \(Format.fixed(p50 * 1000, 2)) ms, p99 \(Format.fixed(p99 * 1000, 2)) ms\n", stderr)
        }
        // Quit cleanly because of a signal (the terminal is restored by now): the
        // status says which, as the shell's 128 + n does for a killed process.
        if let sig = app.quitSignal { throw ExitCode(128 + sig) }
    }
}
