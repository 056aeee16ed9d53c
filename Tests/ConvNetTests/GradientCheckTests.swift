import XCTest
@testable import ConvNet

/// Every layer's backward pass against central finite differences of
/// L = Σ y·R (R a fixed random tensor), for both the input and the parameters.
final class GradientCheckTests: XCTestCase {
    /// Largest relative error allowed in float32 (the bar is 1e-2).
    let tolerance = 1e-2

    func randomArray(_ n: Int, _ rng: inout RNG, scale: Float = 1) -> [Float] {
        (0..<n).map { _ in rng.uniform(-scale, scale) }
    }

    /// Distinct values with gaps larger than the finite-difference step, so that
    /// max pooling and ReLU are differentiable at every point we probe.
    func spreadArray(_ n: Int, _ rng: inout RNG) -> [Float] {
        var v = (0..<n).map { Float($0) * 0.05 - Float(n) * 0.025 + 0.0125 }
        rng.shuffle(&v)
        return v
    }

    func loss(_ layer: Layer, _ x: [Float], _ r: [Float], n: Int) -> Double {
        var rng = RNG(seed: 9)
        x.withUnsafeBufferPointer { layer.forward($0.baseAddress!, batch: n, training: true, rng: &rng) }
        var s = 0.0
        for i in 0..<r.count { s += Double(layer.output[i]) * Double(r[i]) }
        return s
    }

    func relativeError(_ a: Double, _ b: Double) -> Double {
        abs(a - b) / max(abs(a) + abs(b), 1e-3)
    }

    func check(_ layer: Layer, n: Int = 2, input: [Float]? = nil, eps: Float = 1e-2, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RNG(seed: 1)
        for p in layer.parameters {
            for i in 0..<p.count { p.value[i] = rng.uniform(-0.5, 0.5) }
        }
        var x = input ?? randomArray(n * layer.inputShape.count, &rng)
        let r = randomArray(n * layer.outputShape.count, &rng)
        _ = loss(layer, x, r, n: n)
        x.withUnsafeBufferPointer { xb in
            r.withUnsafeBufferPointer { rb in
                layer.backward(xb.baseAddress!, rb.baseAddress!, batch: n, needInputGrad: true)
            }
        }
        let dx = layer.gradInput.array
        let grads = layer.parameters.map { $0.grad.array }
        var worst = 0.0, worstWhere = ""
        // Input gradient, at up to 40 positions spread over the tensor.
        let step = max(1, x.count / 40)
        for i in stride(from: 0, to: x.count, by: step) {
            let keep = x[i]
            x[i] = keep + eps; let up = loss(layer, x, r, n: n)
            x[i] = keep - eps; let down = loss(layer, x, r, n: n)
            x[i] = keep
            let numeric = (up - down) / Double(2 * eps)
            let e = relativeError(numeric, Double(dx[i]))
            if e > worst { worst = e; worstWhere = "input[\(i)]: numeric \(numeric), analytic \(dx[i])" }
        }
        for (pi, p) in layer.parameters.enumerated() {
            let step = max(1, p.count / 40)
            for i in stride(from: 0, to: p.count, by: step) {
                let keep = p.value[i]
                p.value[i] = keep + eps; let up = loss(layer, x, r, n: n)
                p.value[i] = keep - eps; let down = loss(layer, x, r, n: n)
                p.value[i] = keep
                let numeric = (up - down) / Double(2 * eps)
                let e = relativeError(numeric, Double(grads[pi][i]))
                if e > worst { worst = e; worstWhere = "\(p.name)[\(i)]: numeric \(numeric), analytic \(grads[pi][i])" }
            }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(layer.kind) \(layer.spec): worst at \(worstWhere)", file: file, line: line)
    }

    func testConvValid() throws { check(try Conv2D(input: Shape(7, 6, 3), filters: 4, kernel: 3)) }
    func testConvGrey3x3() throws { check(try Conv2D(input: Shape(7, 6, 1), filters: 3, kernel: 3)) }   // the grey 3×3 im2col
    func testConvSame() throws { check(try Conv2D(input: Shape(5, 5, 2), filters: 3, kernel: 3, same: true)) }
    func testConvStride2Same() throws { check(try Conv2D(input: Shape(7, 7, 2), filters: 3, kernel: 3, stride: 2, same: true)) }
    func testConvStride2Valid() throws { check(try Conv2D(input: Shape(8, 7, 1), filters: 2, kernel: 5, stride: 2)) }
    func testConvKernel5() throws { check(try Conv2D(input: Shape(9, 9, 2), filters: 2, kernel: 5)) }
    func testDense() throws { check(try Dense(input: .flat(13), units: 7)) }

    func testMaxPool() throws {
        // Odd sides: the last row or column lies outside every window and gets no gradient.
        // 16 and 32 channels take the SIMD path.
        for (shape, size) in [(Shape(5, 6, 3), 2), (Shape(6, 7, 2), 2), (Shape(7, 7, 1), 2), (Shape(7, 8, 2), 3),
                              (Shape(5, 4, 16), 2), (Shape(4, 5, 32), 2)] {
            let pool = try MaxPool2D(input: shape, size: size)
            var rng = RNG(seed: 3)
            // Garbage in the gradient buffer first: every element must be written, not just the maxima.
            pool.gradInput.reserve(2 * shape.count).update(repeating: .nan, count: 2 * shape.count)
            check(pool, input: spreadArray(2 * pool.inputShape.count, &rng))
            XCTAssertFalse(pool.gradInput.array.contains { $0.isNaN }, "\(shape) pool\(size)")
        }
    }

    func testReLU() {
        let relu = Activation(input: Shape(3, 3, 2), .relu)
        var rng = RNG(seed: 4)
        check(relu, input: spreadArray(2 * 18, &rng))
    }

    func testSigmoid() { check(Activation(input: .flat(11), .sigmoid)) }
    func testTanh() { check(Activation(input: .flat(11), .tanh)) }
    func testFlatten() { check(Flatten(input: Shape(3, 4, 5))) }

    func testDropoutUsesItsMask() throws {
        // With the same generator, forward draws the same mask each time, so the
        // finite differences see the very function backward differentiates.
        check(try Dropout(input: .flat(20), rate: 0.3))
    }

    /// The softmax cross-entropy gradient, and a whole small network end to end.
    func testLossAndWholeNetwork() throws {
        let net = try Network(spec: "in6x6x2-conv3k3same-tanh-conv4k3s2same-sigmoid-pool1-flatten-dense5-tanh-dense3")
        var rng = RNG(seed: 5)
        net.initialize(rng: &rng)
        let n = 3
        var x = randomArray(n * net.inputShape.count, &rng)
        let labels: [Int32] = [0, 2, 1]
        func lossValue() -> Double {
            var r = RNG(seed: 0)
            return x.withUnsafeBufferPointer { xb in
                let z = net.forward(xb.baseAddress!, batch: n, training: false, rng: &r)
                return labels.withUnsafeBufferPointer {
                    SoftmaxCrossEntropy.evaluate(logits: z, labels: $0.baseAddress!, batch: n, classes: 3, grad: nil).loss / Double(n)
                }
            }
        }
        _ = lossValue()
        var g = [Float](repeating: 0, count: n * 3)
        x.withUnsafeBufferPointer { xb in
            var r = RNG(seed: 0)
            let z = net.forward(xb.baseAddress!, batch: n, training: false, rng: &r)
            labels.withUnsafeBufferPointer { lb in
                g.withUnsafeMutableBufferPointer { gb in
                    _ = SoftmaxCrossEntropy.evaluate(logits: z, labels: lb.baseAddress!, batch: n, classes: 3, grad: gb.baseAddress!)
                }
            }
            g.withUnsafeBufferPointer { net.backward(xb.baseAddress!, dLogits: $0.baseAddress!, batch: n) }
        }
        let eps: Float = 1e-2
        var worst = 0.0
        for (name, p) in net.namedParameters {
            let analytic = p.grad.array
            for i in stride(from: 0, to: p.count, by: max(1, p.count / 15)) {
                let keep = p.value[i]
                p.value[i] = keep + eps; let up = lossValue()
                p.value[i] = keep - eps; let down = lossValue()
                p.value[i] = keep
                let numeric = (up - down) / Double(2 * eps)
                let e = relativeError(numeric, Double(analytic[i]))
                XCTAssertLessThanOrEqual(e, tolerance, "\(name)[\(i)] numeric \(numeric) analytic \(analytic[i])")
                worst = max(worst, e)
            }
        }
        _ = x.count
        x[0] += 0   // x stays the same: the network's input gradient is not computed for the first layer
        XCTAssertLessThan(worst, tolerance)
    }
}
