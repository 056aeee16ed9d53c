import ArgumentParser
import ConvNet

/// The options that choose a weights file and, for a file that does not say
/// (a PyTorch export has no metadata), its architecture. Shared by draw, eval,
/// predict, maps and summary.
struct WeightsOptions: ParsableArguments {
    @Option(help: "The weights file (default: $DIGITS_WEIGHTS, else the shipped model).")
    var weights: String?

    @Option(help: "The architecture: a model name (\(Architectures.names.joined(separator: ", "))) or a spec. With --weights: for a file whose metadata does not name one.")
    var model: String?

    /// The weights file to read (the option, else $DIGITS_WEIGHTS, else the shipped file).
    func path() throws -> String { try Locations.weights(option: weights) }

    /// Loads the weights, with `--model` as the architecture when given.
    func load() throws -> (network: Network, file: Safetensors, path: String) {
        let p = try path()
        let (net, file) = try WeightsFile.load(p, model: model)
        return (net, file, p)
    }
}
