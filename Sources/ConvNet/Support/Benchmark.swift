import Glibc

/// Measurements for `digits bench`: the engine's speed on this machine, each
/// number taken the same way every time so runs can be compared.
public enum Benchmark {
    /// Forward multiply-adds ×2 per example (those of the layers that compute products).
    public static func forwardFlops(_ net: Network) -> Double {
        net.layers.reduce(0.0) { $0 + flops($1) }
    }

    /// Training costs about three forward passes (forward, input gradient, weight
    /// gradient), less the first layer's input gradient that is never computed.
    public static func trainingFlops(_ net: Network) -> Double {
        3 * forwardFlops(net) - (net.layers.first.map(flops) ?? 0)
    }

    /// A built network's sizes passed `ModelLimits`, so the cost is known.
    private static func flops(_ layer: Layer) -> Double { 2 * Double(layer.costPerImage?.multiplyAdds ?? 0) }

    /// Single-precision GEMM rate (GFLOP/s) on n×n matrices with the current thread count.
    public static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 6) -> Double {
        var a = [Float](repeating: 0, count: n * n), b = a, c = a
        var rng = RNG(seed: 1)
        for i in 0..<(n * n) { a[i] = rng.uniform(); b[i] = rng.uniform() }
        var best = Double.infinity
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for r in 0..<(repeats + 1) {
                let t = now()
                gemm(m: n, n: n, k: n, a: ap.baseAddress!, lda: n, b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
                if r > 0 { best = min(best, now() - t) }   // the first run warms up
            }
        } } }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Training throughput (images/s) over `images` examples at `batchSize`,
    /// after two warm-up batches. Data content does not change the cost.
    public static func trainingImagesPerSecond(spec: String, data: LabeledImages, batchSize: Int = 64, images: Int) throws -> Double {
        let net = try Network(spec: spec)
        var s = TrainingSettings()
        s.epochs = 1; s.batchSize = batchSize; s.seed = 1
        let warm = data.prefix(batchSize * 2)
        _ = Trainer(network: net, settings: s).run(train: warm, validation: nil)
        let subset = data.prefix(images)
        let trainer = Trainer(network: net, settings: s, initialize: false)
        let t = now()
        _ = trainer.run(train: subset, validation: nil)
        return Double(subset.count) / (now() - t)
    }

    /// Batch-1 prediction latencies in seconds, sorted.
    public static func inferenceLatencies(_ net: Network, input: [Float], runs: Int = 1000) -> [Double] {
        var rng = RNG(seed: 0)
        var out: [Double] = []
        out.reserveCapacity(runs)
        input.withUnsafeBufferPointer { x in
            for r in 0..<(runs + 20) {
                let t = now()
                _ = net.forward(x.baseAddress!, batch: 1, training: false, rng: &rng)
                if r >= 20 { out.append(now() - t) }
            }
        }
        return out.sorted()
    }

    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
    }

    /// Peak resident memory of this process, in bytes.
    public static var peakRSS: Int {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Int(u.ru_maxrss) * 1024
    }

    public static var cpuModel: String {
        guard let f = fopen("/proc/cpuinfo", "r") else { return "unknown" }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, 512, f) != nil {
            let s = String(cString: line)
            if s.hasPrefix("model name"), let colon = s.firstIndex(of: ":") {
                return String(s[s.index(after: colon)...]).trimmed
            }
        }
        return "unknown"
    }
}
