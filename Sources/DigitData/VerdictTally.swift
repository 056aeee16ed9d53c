import ConvNet

/// How a verdict model's readings of a set of images divide among the verdicts,
/// and how many of the accepted ones (`digit`) name the right digit: what
/// `digits eval` reports for a model with a "not a digit" output.
public struct VerdictTally: Sendable, Equatable {
    /// Images per verdict.
    public private(set) var counts: [Verdict: Int] = [:]
    /// Accepted images (verdict `digit`) whose digit is their label.
    public private(set) var acceptedRight = 0
    public private(set) var total = 0

    public init() {}

    /// Adds one reading; `label` is the image's digit (nil for images that are not digits).
    public mutating func add(_ reading: DigitReading, label: Int?) {
        guard let v = reading.verdict else { preconditionFailure("a tally of verdicts needs a verdict model") }
        counts[v, default: 0] += 1
        total += 1
        if v == .digit, let l = label, reading.digit == l { acceptedRight += 1 }
    }

    public func count(_ v: Verdict) -> Int { counts[v] ?? 0 }
    /// The share of the images that got `v` (0 for no images).
    public func share(_ v: Verdict) -> Double { total > 0 ? Double(count(v)) / Double(total) : 0 }
    /// The share of the images that did not get `digit`: for letters, the ones rejected.
    public var notAccepted: Double { total > 0 ? 1 - share(.digit) : 0 }
    /// The accuracy among the accepted images (nil when none was accepted).
    public var acceptedAccuracy: Double? { count(.digit) > 0 ? Double(acceptedRight) / Double(count(.digit)) : nil }

    /// The readings of every image of `data` by `network`, whose "not a digit"
    /// output is `notADigitClass`, in chunks (bounded memory); labels at or above
    /// `notADigitClass` are not digits. The caller checks the data against the
    /// network first (`Network.check`).
    public static func measure(_ network: Network, on data: LabeledImages, notADigitClass: Int, chunk: Int = 256) -> VerdictTally {
        var tally = VerdictTally()
        forEachReading(network, on: data, notADigitClass: notADigitClass, chunk: chunk) { i, r in
            let label = Int(data.labels[i])
            tally.add(r, label: label < notADigitClass ? label : nil)
        }
        return tally
    }

    /// Calls `body` with each image's index and reading, in order.
    public static func forEachReading(_ network: Network, on data: LabeledImages, notADigitClass: Int?, chunk: Int = 256,
                                      _ body: (Int, DigitReading) -> Void) {
        let size = data.shape.count, k = network.classes
        var x = [Float](repeating: 0, count: chunk * size)
        var start = 0
        while start < data.count {
            let m = min(chunk, data.count - start)
            x.withUnsafeMutableBufferPointer { data.gather(start..<(start + m), into: $0.baseAddress!) }
            let probs = network.predict(Array(x[0..<(m * size)]), count: m)
            for r in 0..<m {
                body(start + r, DigitReading(Array(probs[(r * k)..<((r + 1) * k)]), notADigitClass: notADigitClass))
            }
            start += m
        }
    }
}
