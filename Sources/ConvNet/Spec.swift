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
    /// Builds the layers a spec describes, checking that each one fits its input.
    public static func parse(_ text: String) throws -> (input: Shape, layers: [Layer]) {
        var tokens = text.lowercased().split(separator: "-").map(String.init)
        guard !tokens.isEmpty else { throw SpecError("empty model spec") }
        var shape = Shape(28, 28, 1)
        if tokens[0].hasPrefix("in") {
            let dims = tokens.removeFirst().dropFirst(2).split(separator: "x").compactMap { Int($0) }
            guard dims.count == 2 || dims.count == 3, dims.allSatisfy({ $0 > 0 && $0 <= 4096 }) else {
                throw SpecError("bad input token in '\(text)': expected e.g. in28x28x1")
            }
            shape = Shape(dims[0], dims[1], dims.count == 3 ? dims[2] : 1)
        }
        let input = shape
        if tokens.last == "softmax" { tokens.removeLast() }
        var layers: [Layer] = []
        for token in tokens {
            let layer = try makeLayer(token, input: shape)
            layers.append(layer)
            shape = layer.outputShape
        }
        guard layers.last is Dense else {
            throw SpecError("a model must end in a dense layer giving the class scores")
        }
        return (input, layers)
    }

    static func makeLayer(_ token: String, input: Shape) throws -> Layer {
        var scan = Scanner(token)
        if scan.take("conv") {
            guard let f = scan.int(), scan.take("k"), let k = scan.int() else {
                throw SpecError("bad layer '\(token)': expected conv{filters}k{kernel}[s{stride}][same], e.g. conv32k3")
            }
            let s = (!scan.starts(with: "same") && scan.take("s")) ? scan.int() : 1
            let same = scan.take("same")
            _ = scan.take("valid")
            guard let stride = s, scan.atEnd else { throw SpecError("bad layer '\(token)'") }
            return try Conv2D(input: input, filters: f, kernel: k, stride: stride, same: same)
        }
        if scan.take("maxpool") || scan.take("pool") {
            guard let s = scan.int(), scan.atEnd else { throw SpecError("bad layer '\(token)': expected pool{size}, e.g. pool2") }
            return try MaxPool2D(input: input, size: s)
        }
        if scan.take("dropout") || scan.take("drop") {
            guard let r = Float(scan.rest), r.isFinite else { throw SpecError("bad layer '\(token)': expected drop{rate}, e.g. drop0.25") }
            return try Dropout(input: input, rate: r)
        }
        if scan.take("dense") || scan.take("fc") {
            guard let n = scan.int(), scan.atEnd else { throw SpecError("bad layer '\(token)': expected dense{units}, e.g. dense128") }
            return try Dense(input: input, units: n)
        }
        if token == "flatten" { return Flatten(input: input) }
        if let f = Activation.Function(rawValue: token) { return Activation(input: input, f) }
        throw SpecError("unknown layer '\(token)' (known: conv, pool, relu, sigmoid, tanh, drop, flatten, dense, softmax)")
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
