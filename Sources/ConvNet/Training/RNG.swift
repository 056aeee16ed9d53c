import Glibc

/// One seeded random generator for everything random in training (initial
/// weights, shuffling, dropout masks, augmentation), so that `--seed N` makes a
/// run repeatable. xoshiro256** seeded through SplitMix64, as its authors advise.
public struct RNG: RandomNumberGenerator, Sendable {
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var s = seed
        func splitmix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// Restores a generator from `stateWords` (as saved in a checkpoint).
    public init(stateWords w: [UInt64]) {
        precondition(w.count == 4)
        state = (w[0], w[1], w[2], w[3])
    }

    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = (state.3 << 45) | (state.3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits, exactly representable as Float.
    @inline(__always)
    public mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [lo, hi).
    @inline(__always)
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * uniform()
    }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Float {
        var u = uniform()
        if u < 1e-7 { u = 1e-7 }
        let v = uniform()
        return (-2 * logf(u)).squareRoot() * cosf(2 * .pi * v)
    }

    /// An integer in 0..<n without modulo bias.
    public mutating func below(_ n: Int) -> Int {
        Int(next(upperBound: UInt64(n)))
    }

    /// Fisher–Yates shuffle driven by this generator (repeatable across platforms,
    /// unlike `Array.shuffle(using:)` whose algorithm is unspecified).
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { a.swapAt(i, j) }
        }
    }
}
