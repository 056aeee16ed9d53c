import ArgumentParser
import ConvNet
import DigitData

/// `digits summary`: the layers of a model, their output shapes and parameter
/// counts, and the total — Keras' model.summary().
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show a model's layers, output shapes and parameter counts.")

    @OptionGroup var weightsOptions: WeightsOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let net: Network
        // --model alone summarises an architecture; with --weights (or
        // $DIGITS_WEIGHTS, as for every other command), the file's model.
        if weightsOptions.weights != nil || (weightsOptions.model == nil && Locations.weightsFromEnvironment != nil) {
            net = try weightsOptions.load().network
        } else {
            net = try Network(spec: weightsOptions.model ?? Architectures.defaultName)
        }
        let rows = layerRows(net)
        if json {
            printJSON(.object([
                ("model", net.name.map(JSON.string) ?? .null), ("spec", .string(net.spec)),
                ("input_shape", .array([net.inputShape.h, net.inputShape.w, net.inputShape.c].map(JSON.int))),
                ("params", .int(net.parameterCount)),
                ("layers", .array(rows.map { r in .object([
                    ("name", .string(r.name)), ("type", .string(r.kind)),
                    ("output_shape", .array(r.shape.isFlat ? [.int(r.shape.c)] : [r.shape.h, r.shape.w, r.shape.c].map(JSON.int))),
                    ("params", .int(r.params))]) })),
            ]))
            return
        }
        print("Model: \(net.name ?? "custom")")
        print("Spec:  \(net.spec)")
        let line = String(repeating: "─", count: 62)
        print(line)
        print(Format.pad("Layer (type)", 32) + Format.pad("Output Shape", 18) + Format.pad("Param #", 12, right: true))
        print(String(repeating: "═", count: 62))
        print(Format.pad("input (InputLayer)", 32) + Format.pad(net.inputShape.description, 18) + Format.pad("0", 12, right: true))
        for r in rows {
            print(Format.pad("\(r.name) (\(r.kind))", 32) + Format.pad(r.shape.description, 18)
                  + Format.pad(Format.thousands(r.params), 12, right: true))
        }
        print(line)
        print("Total params: \(Format.thousands(net.parameterCount)) (\(Format.fixed(Double(net.parameterCount) * 4 / 1024, 1)) KB as float32)")
    }
}

/// One row per layer for the summary table.
func layerRows(_ net: Network) -> [(name: String, kind: String, shape: Shape, params: Int)] {
    zip(net.layerNames, net.layers).map { ($0, $1.kind, $1.outputShape, $1.parameterCount) }
}
