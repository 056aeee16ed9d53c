/// Element-wise kernels over float arrays, sixteen lanes at a time. The layers'
/// passes over memory (bias, ReLU and its gradient) are bandwidth-bound; these
/// keep them at memory speed.
enum Vector {
    typealias V = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// y = max(x, 0)
    static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let zero = V(repeating: 0)
        while i + 16 <= n {
            let v = load(x + i)
            store(v.replacing(with: 0, where: v .< zero), y + i)
            i += 16
        }
        while i < n { y[i] = max(x[i], 0); i += 1 }
    }

    /// dx = dy where y > 0, else 0
    static func reluBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let zero = V(repeating: 0)
        while i + 16 <= n {
            store(load(dy + i).replacing(with: 0, where: load(y + i) .<= zero), dx + i)
            i += 16
        }
        while i < n { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
    }

    /// Each of `rows` rows of `y` (width `width`) = b: the starting value of a
    /// product accumulated with beta = 1, which adds the bias for free and spares
    /// BLAS clearing the output first (a whole pass over it when beta = 0).
    static func fillRows(_ y: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, width: Int) {
        if width % 16 == 0 {
            for r in 0..<rows {
                let row = y + r * width
                var j = 0
                while j < width { store(load(b + j), row + j); j += 16 }
            }
        } else {
            for r in 0..<rows { (y + r * width).update(from: b, count: width) }
        }
    }

    /// db[j] = Σ_r dy[r, j]
    static func sumRows(_ dy: UnsafePointer<Float>, _ db: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        db.update(repeating: 0, count: width)
        if width % 16 == 0 {
            for r in 0..<rows {
                let row = dy + r * width
                var j = 0
                while j < width { store(load(db + j) + load(row + j), db + j); j += 16 }
            }
        } else {
            for r in 0..<rows { let row = dy + r * width; for j in 0..<width { db[j] += row[j] } }
        }
    }

    /// d[0..<n] = s[0..<n], inline: for the short runs of im2col a call to memcpy costs more than the copy.
    @inline(__always)
    static func copy(_ s: UnsafePointer<Float>, to d: UnsafeMutablePointer<Float>, _ n: Int) {
        if n >= 64 { d.update(from: s, count: n); return }
        var i = 0
        while i + 16 <= n { store(load(s + i), d + i); i += 16 }
        while i < n { d[i] = s[i]; i += 1 }
    }

    /// d[0..<n] += s[0..<n]
    @inline(__always)
    static func add(_ s: UnsafePointer<Float>, into d: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n { store(load(d + i) + load(s + i), d + i); i += 16 }
        while i < n { d[i] += s[i]; i += 1 }
    }
}
