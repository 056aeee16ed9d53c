/// How large a model may be. A spec comes from outside (an option, or a weights
/// file's metadata), and the engine's loops are compiled without bounds checks,
/// so every size a spec implies is computed here, with overflow checks, before
/// any layer's storage is allocated; beyond a limit the spec is refused in one
/// line. The seed models and digitnet use a small fraction of each (seed004:
/// 2.38 M parameters, 0.34 M floats and 13 M multiply-adds per image).
///
/// The limits are also what the `spec` fuzz target must build and run once
/// under AddressSanitizer within 1 s on a shared, busy machine: a model at each
/// limit takes 50–150 ms there; twice these limits timed out now and then
/// (a 17.5 M-parameter model: 0.17–0.26 s alone, over 1 s at a load of 6).
public enum ModelLimits {
    /// 4× seed004, 40 MB as float32 (its Adam checkpoint: 120 MB).
    public static let parameters = 10_000_000
    /// The floats one image occupies in a forward pass: its input, every
    /// layer's output and scratch (a convolution's patches): 8 MB, 6×
    /// digitnet's; a training batch of 64 then holds at most 512 MB.
    public static let floatsPerImage = 2_097_152
    /// Multiply-adds of one image's forward pass: 19× seed004's.
    public static let multiplyAddsPerImage = 250_000_000
    /// Outputs of the last layer: evaluation keeps a classes × classes
    /// confusion matrix per thread.
    public static let classes = 1_000
    /// Layers in a spec (digitnet has 15): each is an object with buffers of
    /// its own, and a spec in a file's metadata may be megabytes long.
    public static let layers = 1_000
    /// The spec's text, read before it is split into tokens.
    public static let specBytes = 65_536
}

/// A model's sizes, summed layer by layer with overflow checks.
public struct ModelSize: Equatable, Sendable {
    public var parameters = 0
    public var floatsPerImage = 0
    public var multiplyAddsPerImage = 0

    /// Starts with the input image.
    init(input: Shape) throws {
        guard let n = Checked.product([input.h, input.w, input.c]), n <= ModelLimits.floatsPerImage else {
            throw SpecError("an input of \(input.h)×\(input.w)×\(input.c) is over the limit of \(ModelLimits.floatsPerImage) values per image")
        }
        floatsPerImage = n
    }

    /// Adds `layer` (built, but with no storage yet) and checks every limit, so
    /// that the next layer is only built on a shape that is in bounds.
    mutating func add(_ layer: Layer, token: String) throws {
        let out = layer.outputShape
        guard let outputs = Checked.product([out.h, out.w, out.c]),
              let cost = layer.costPerImage,
              let params = Checked.sum(layer.parameters.map { Checked.product($0.shape) }),
              let p = Checked.sum([parameters, params]),
              let f = Checked.sum([floatsPerImage, outputs, cost.scratchFloats]),
              let m = Checked.sum([multiplyAddsPerImage, cost.multiplyAdds]) else {
            throw SpecError("layer '\(token)' makes the model too large to count")
        }
        (parameters, floatsPerImage, multiplyAddsPerImage) = (p, f, m)
        if p > ModelLimits.parameters {
            throw SpecError("layer '\(token)' brings the model to \(p) parameters, over the limit of \(ModelLimits.parameters)")
        }
        if f > ModelLimits.floatsPerImage {
            throw SpecError("layer '\(token)' brings the model to \(f) values per image, over the limit of \(ModelLimits.floatsPerImage)")
        }
        if m > ModelLimits.multiplyAddsPerImage {
            throw SpecError("layer '\(token)' brings the model to \(m) multiply-adds per image, over the limit of \(ModelLimits.multiplyAddsPerImage)")
        }
    }
}

/// Integer arithmetic that reports overflow as nil instead of trapping (debug)
/// or wrapping (the engine's -Ounchecked release build). Negative counts are
/// refused too: a size is never negative.
enum Checked {
    static func product(_ factors: [Int?]) -> Int? {
        var r = 1
        for f in factors {
            guard let f, f >= 0 else { return nil }
            let (v, overflow) = r.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            r = v
        }
        return r
    }

    static func product(_ factors: [Int]) -> Int? { product(factors.map(Optional.some)) }

    static func sum(_ terms: [Int?]) -> Int? {
        var r = 0
        for t in terms {
            guard let t, t >= 0 else { return nil }
            let (v, overflow) = r.addingReportingOverflow(t)
            if overflow { return nil }
            r = v
        }
        return r
    }
}
