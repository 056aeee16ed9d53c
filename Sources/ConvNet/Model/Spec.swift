/// A model described as text, one token per layer joined by '-', e.g.
///
///     in28x28x1-conv32k3-relu-pool2-flatten-dense32-relu-dense10-softmax
///
/// Tokens: `in{H}x{W}x{C}` (first, optional; default in28x28x1),
/// `conv{F}k{K}[s{S}][same]`, `pool{S}`, `relu`, `sigmoid`, `tanh`, `drop{RATE}`,
/// `flatten`, `dense{N}`, and `softmax` (last, optional: the network always
/// outputs logits, and softmax is applied when probabilities are asked for).
public struct SpecError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

public enum Spec {
    /// Builds the layers a spec describes, checking that each one fits its input
    /// and that the model stays within `ModelLimits`. The layers have no storage
    /// yet (`Network`'s init allocates it), so an oversized spec costs nothing.
    public static func parse(_ text: String) throws -> (input: Shape, layers: [Layer]) {
        try plan(text).model
    }

    /// The layers (without storage) and their summed sizes.
    static func plan(_ text: String) throws -> (model: (input: Shape, layers: [Layer]), size: ModelSize) {
        guard text.utf8.count <= ModelLimits.specBytes else {
            throw SpecError("a model spec of \(text.utf8.count) bytes, over the limit of \(ModelLimits.specBytes)")
        }
        var tokens = text.lowercased().split(separator: "-").map(String.init)
        guard !tokens.isEmpty else { throw SpecError("empty model spec") }
        var shape = Shape(28, 28, 1)
        if tokens[0].hasPrefix("in") {
            // Every piece a plain number: "in9x9x2junk" is refused, not read as 9×9.
            let pieces = tokens.removeFirst().dropFirst(2).split(separator: "x", omittingEmptySubsequences: false)
            let dims = pieces.compactMap { p in p.count <= 4 && p.allSatisfy { $0 >= "0" && $0 <= "9" } ? Int(p) : nil }
            guard dims.count == pieces.count, dims.count == 2 || dims.count == 3, dims.allSatisfy({ $0 > 0 && $0 <= 4096 }) else {
                throw SpecError("bad input token in '\(shown(text))': expected e.g. in28x28x1")
            }
            shape = Shape(dims[0], dims[1], dims.count == 3 ? dims[2] : 1)
        }
        let input = shape
        var size = try ModelSize(input: input)
        if tokens.last == "softmax" { tokens.removeLast() }
        guard tokens.count <= ModelLimits.layers else {
            throw SpecError("\(tokens.count) layers, over the limit of \(ModelLimits.layers)")
        }
        var layers: [Layer] = []
        for token in tokens {
            let layer = try makeLayer(token, input: shape)
            try size.add(layer, token: shown(token))
            layers.append(layer)
            shape = layer.outputShape
        }
        guard layers.last is Dense else {
            throw SpecError("a model must end in a dense layer giving the class scores")
        }
        guard shape.c <= ModelLimits.classes else {
            throw SpecError("the last layer gives \(shape.c) class scores, over the limit of \(ModelLimits.classes)")
        }
        return ((input, layers), size)
    }

    /// `text` as it may appear in a one-line message: specs also come from
    /// files, so control characters are escaped and a long text is cut.
    static func shown(_ text: String) -> String {
        text.escapedForMessage(limit: 80)
    }

    static func makeLayer(_ token: String, input: Shape) throws -> Layer {
        var scan = Scanner(token)
        if scan.take("conv") {
            guard let f = scan.int(), scan.take("k"), let k = scan.int() else {
                throw SpecError("bad layer '\(shown(token))': expected conv{filters}k{kernel}[s{stride}][same], e.g. conv32k3")
            }
            let s = (!scan.starts(with: "same") && scan.take("s")) ? scan.int() : 1
            let same = scan.take("same")
            _ = scan.take("valid")
            guard let stride = s, scan.atEnd else { throw SpecError("bad layer '\(shown(token))'") }
            return try Conv2D(input: input, filters: f, kernel: k, stride: stride, same: same)
        }
        if scan.take("maxpool") || scan.take("pool") {
            guard let s = scan.int(), scan.atEnd else { throw SpecError("bad layer '\(shown(token))': expected pool{size}, e.g. pool2") }
            return try MaxPool2D(input: input, size: s)
        }
        if scan.take("dropout") || scan.take("drop") {
            guard let r = Float(scan.rest), r.isFinite else { throw SpecError("bad layer '\(shown(token))': expected drop{rate}, e.g. drop0.25") }
            return try Dropout(input: input, rate: r)
        }
        if scan.take("dense") || scan.take("fc") {
            guard let n = scan.int(), scan.atEnd else { throw SpecError("bad layer '\(shown(token))': expected dense{units}, e.g. dense128") }
            return try Dense(input: input, units: n)
        }
        if token == "flatten" { return Flatten(input: input) }
        if let f = Activation.Function(rawValue: token) { return Activation(input: input, f) }
        throw SpecError("unknown layer '\(shown(token))' (known: conv, pool, relu, sigmoid, tanh, drop, flatten, dense, softmax)")
    }

    /// The spec that rebuilds `layers` on `input`.
    public static func text(input: Shape, layers: [Layer]) -> String {
        (["in\(input.h)x\(input.w)x\(input.c)"] + layers.map(\.spec) + ["softmax"]).joined(separator: "-")
    }
}

/// A tiny cursor over a token, for reading "conv32k3s2same" piece by piece.
struct Scanner {
    private var chars: Substring
    init(_ s: String) { chars = Substring(s) }
    var atEnd: Bool { chars.isEmpty }
    var rest: String { String(chars) }
    func starts(with prefix: String) -> Bool { chars.hasPrefix(prefix) }
    mutating func take(_ prefix: String) -> Bool {
        guard chars.hasPrefix(prefix) else { return false }
        chars = chars.dropFirst(prefix.count)
        return true
    }
    mutating func int() -> Int? {
        let digits = chars.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count <= 6, let v = Int(digits) else { return nil }
        chars = chars.dropFirst(digits.count)
        return v
    }
}
