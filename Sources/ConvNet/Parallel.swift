import Dispatch

/// Runs `body` over `0..<n` split into one contiguous chunk per engine thread.
/// Used for the per-image loops (im2col, col2im) that BLAS does not cover.
@inline(__always)
func parallelChunks(_ n: Int, minimumPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let chunks = min(Threads.count, max(1, n / max(1, minimumPerChunk)))
    if chunks <= 1 {
        body(0..<n)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { i in
        let lo = n * i / chunks, hi = n * (i + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}
