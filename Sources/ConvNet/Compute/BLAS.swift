import CBLAS

/// Row-major single-precision matrix product, C = alpha·op(A)·op(B) + beta·C,
/// where op(A) is m×k and op(B) is k×n. A thin, named wrapper so the layers read
/// like the formulas in their comments.
@inline(__always)
func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
          b: UnsafePointer<Float>, ldb: Int,
          beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                beta, c, Int32(ldc))
}

/// How many threads the engine may use (OpenBLAS's pool and our own loops).
public enum Threads {
    nonisolated(unsafe) private static var current = max(1, Int(openblas_get_num_procs()))
    /// OpenBLAS's own pool outside data-parallel shards; at most `current`.
    nonisolated(unsafe) private static var blas = current

    public static var count: Int { current }

    /// The cores here: more threads than that only wait for each other, and
    /// each costs OpenBLAS a buffer of its own (under a memory limit, dozens of
    /// them made it spin in its allocator).
    public static let available = max(1, Int(openblas_get_num_procs()))

    public static func set(_ n: Int) {
        current = max(1, n)
        blas = current
        openblas_set_num_threads(Int32(blas))
    }

    /// Runs `body` with OpenBLAS kept on the calling thread, while our own loops
    /// (data-parallel shards, evaluation) still use `count` threads; shards that
    /// start and end inside `body` leave it so. For reading one image at a time,
    /// as the app does on every stroke: a batch-1 product is too small to share,
    /// and waking a second core that is busy elsewhere (the terminal, a training
    /// job) only adds waiting.
    public static func whileReadingOneAtATime<T>(_ body: () throws -> T) rethrows -> T {
        let saved = blas
        blas = 1
        openblas_set_num_threads(1)
        defer { blas = saved; openblas_set_num_threads(Int32(saved)) }
        return try body()
    }

    /// Runs `body` with OpenBLAS on the calling thread only, for callers that
    /// run several matrix products side by side on their own threads.
    static func withSerialBLAS<T>(_ body: () -> T) -> T {
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(blas)) }
        return body()
    }
}
