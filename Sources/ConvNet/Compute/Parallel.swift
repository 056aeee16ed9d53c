import Dispatch
import Glibc

/// Runs `body` over `0..<n` split into one contiguous chunk per engine thread.
/// Used for the per-image loops (im2col, col2im) that BLAS does not cover.
/// Inside a data-parallel shard it runs serially: the shards already fill the cores.
@inline(__always)
func parallelChunks(_ n: Int, minimumPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = ShardContext.isActive ? 1 : Threads.count
    let chunks = min(threads, max(1, n / max(1, minimumPerChunk)))
    if chunks <= 1 {
        body(0..<n)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { i in
        let lo = n * i / chunks, hi = n * (i + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

/// Marks the current thread as running one shard of a data-parallel batch,
/// so that nested loops stay on it instead of asking Dispatch for more threads.
enum ShardContext {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var isActive: Bool { pthread_getspecific(key) != nil }

    static func run<T>(_ body: () -> T) -> T {
        let k = key
        pthread_setspecific(k, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(k, nil) }
        return body()
    }
}

/// Calls `body(i, range)` for the pieces of every parameter's elements, with the
/// elements of all `params` laid end to end and cut into one even chunk per
/// thread (small totals stay on one thread). For element-wise passes over all
/// weights: optimizer steps, summing gradients.
func forEachSegment(of params: [Parameter], _ body: (Int, Range<Int>) -> Void) {
    let total = params.reduce(0) { $0 + $1.count }
    parallelChunks(total, minimumPerChunk: 1 << 15) { chunk in
        var offset = 0
        for (i, p) in params.enumerated() {
            let lo = max(chunk.lowerBound, offset), hi = min(chunk.upperBound, offset + p.count)
            if lo < hi { body(i, (lo - offset)..<(hi - offset)) }
            offset += p.count
            if offset >= chunk.upperBound { break }
        }
    }
}
