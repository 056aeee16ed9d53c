/// A rolling record of per-stroke latencies (event → screen updated), for the
/// debug overlay and `digits bench`: p50 and p99 over the last 1,000 strokes.
public struct LatencyLog: Sendable {
    private var samples: [Double] = []
    public private(set) var count = 0
    public init() {}

    public mutating func add(_ seconds: Double) {
        samples.append(seconds)
        if samples.count > 1000 { samples.removeFirst(samples.count - 1000) }
        count += 1
    }

    public func percentile(_ p: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let s = samples.sorted()
        return s[min(s.count - 1, Int(Double(s.count - 1) * p + 0.5))]
    }
    public var last: Double? { samples.last }
}
