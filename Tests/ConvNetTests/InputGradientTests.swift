import XCTest
@testable import ConvNet

/// `Network.inputGradient` against central finite differences of the weighted
/// logits it differentiates, and the receptive fields against hand-counted ones.
final class InputGradientTests: XCTestCase {
    func weightedLogits(_ net: Network, _ x: [Float], _ w: [Float]) -> Double {
        let p = x.withUnsafeBufferPointer { xb -> [Float] in
            var rng = RNG(seed: 0)
            let z = net.forward(xb.baseAddress!, batch: 1, training: false, rng: &rng)
            return Array(UnsafeBufferPointer(start: z, count: net.classes))
        }
        return zip(p, w).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Every input value of a small conv net (conv, relu, pool, dropout, dense),
    /// for the margin between two classes, as the app asks for it.
    func check(spec: String, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        let net = try Network(spec: spec)
        var rng = RNG(seed: seed)
        net.initialize(rng: &rng, scheme: .he)
        // Distinct values, spread wider than the step, so ReLU and max pooling
        // are differentiable at every probed point.
        var x = (0..<net.inputShape.count).map { Float($0) * 0.01 }
        rng.shuffle(&x)
        var w = [Float](repeating: 0, count: net.classes)
        w[1] = 1; w[net.classes - 1] = -1
        let (logits, g) = net.inputGradient(of: x, logitWeights: w)
        XCTAssertEqual(logits.count, net.classes, file: file, line: line)
        XCTAssertEqual(g.count, x.count, file: file, line: line)
        let eps: Float = 1e-3
        var worst = 0.0, worstWhere = ""
        var nonzero = 0
        var kinks = 0
        let here = weightedLogits(net, x, w)
        func error(_ numeric: Double, _ analytic: Float) -> Double {
            abs(numeric - Double(analytic)) / max(abs(numeric) + abs(Double(analytic)), 1e-2)
        }
        for i in x.indices {
            let keep = x[i]
            x[i] = keep + eps; let up = weightedLogits(net, x, w)
            x[i] = keep - eps; let down = weightedLogits(net, x, w)
            x[i] = keep
            let central = (up - down) / Double(2 * eps)
            var e = error(central, g[i])
            // A ReLU or a pooling switching inside ±eps (a kink): the gradient
            // is then one of the one-sided slopes, not their mean.
            if e > 2e-2 {
                kinks += 1
                e = min(error((up - here) / Double(eps), g[i]), error((here - down) / Double(eps), g[i]))
            }
            if e > worst { worst = e; worstWhere = "input[\(i)]: numeric \(central), analytic \(g[i])" }
            if g[i] != 0 { nonzero += 1 }
        }
        XCTAssertLessThanOrEqual(worst, 2e-2, "\(spec): worst at \(worstWhere)", file: file, line: line)
        XCTAssertLessThan(kinks, x.count / 20, "\(spec): kinks at most a few positions", file: file, line: line)
        XCTAssertGreaterThan(nonzero, x.count / 4, "\(spec): the gradient reaches the input", file: file, line: line)
    }

    func testInputGradientMatchesFiniteDifferences() throws {
        try check(spec: "in10x10x1-conv4k3-relu-pool2-flatten-dense8-relu-drop0.5-dense5", seed: 3)
        try check(spec: "in9x9x2-conv3k3same-tanh-conv4k3s2same-sigmoid-flatten-dense4", seed: 4)
    }

    /// A dropout mask left by a training batch of one image must not be applied
    /// to the gradient of an inference pass (the forward pass applied none).
    func testInputGradientIgnoresAnEarlierTrainingMask() throws {
        let net = try Network(spec: "in6x6x1-conv2k3-relu-flatten-drop0.5-dense3")
        var rng = RNG(seed: 7)
        net.initialize(rng: &rng)
        let x = (0..<36).map { Float($0 % 7) * 0.1 + 0.05 }
        let w: [Float] = [1, -1, 0]
        let clean = net.inputGradient(of: x, logitWeights: w).gradient
        x.withUnsafeBufferPointer { _ = net.forward($0.baseAddress!, batch: 1, training: true, rng: &rng) }
        XCTAssertEqual(net.inputGradient(of: x, logitWeights: w).gradient, clean)
    }

    func field(_ net: Network, _ layerName: String, _ x: Int, _ y: Int) -> ReceptiveField? {
        net.receptiveField(layer: net.layerNames.firstIndex(of: layerName)!, x: x, y: y)
    }

    /// digitnet: conv3×3, conv3×3, pool2, conv3×3, conv3×3, pool2.
    func testReceptiveFieldsOfDigitnet() throws {
        let net = try Network(spec: "digitnet")
        XCTAssertEqual(field(net, "conv1", 0, 0), ReceptiveField(x: 0, y: 0, width: 3, height: 3))
        XCTAssertEqual(field(net, "relu1", 5, 2), ReceptiveField(x: 5, y: 2, width: 3, height: 3))
        XCTAssertEqual(field(net, "conv2", 0, 0), ReceptiveField(x: 0, y: 0, width: 5, height: 5))
        XCTAssertEqual(field(net, "conv2", 23, 10), ReceptiveField(x: 23, y: 10, width: 5, height: 5))
        // pool1 (12×12): unit u covers conv2 units 2u, 2u+1, so input 2u … 2u+5.
        XCTAssertEqual(field(net, "pool1", 3, 1), ReceptiveField(x: 6, y: 2, width: 6, height: 6))
        // conv3 (10×10): pool1 u … u+2, conv2 2u … 2u+5, input 2u … 2u+9.
        XCTAssertEqual(field(net, "conv3", 0, 0), ReceptiveField(x: 0, y: 0, width: 10, height: 10))
        XCTAssertEqual(field(net, "conv3", 9, 4), ReceptiveField(x: 18, y: 8, width: 10, height: 10))
        // conv4 (8×8): pool1 u … u+4, input 2u … 2u+13.
        XCTAssertEqual(field(net, "conv4", 7, 0), ReceptiveField(x: 14, y: 0, width: 14, height: 14))
        XCTAssertEqual(field(net, "pool2", 3, 3), ReceptiveField(x: 12, y: 12, width: 16, height: 16))
        // Positions come from clicks: outside the map, or a flat layer, give nothing.
        XCTAssertNil(field(net, "conv1", 26, 0))
        XCTAssertNil(field(net, "conv1", 0, -1))
        XCTAssertNil(field(net, "fc1", 0, 0))
        XCTAssertNil(net.receptiveField(layer: 99, x: 0, y: 0))
        XCTAssertNil(net.receptiveField(layer: -1, x: 0, y: 0))
    }

    /// seed000 (conv 5×5, pool2, conv 3×3) and seed002 (same-padded 3×3 on 8×8).
    func testReceptiveFieldsOfSeedModels() throws {
        let lenet = try Network(spec: "seed000")
        XCTAssertEqual(field(lenet, "conv1", 10, 20), ReceptiveField(x: 10, y: 20, width: 5, height: 5))
        // conv2 (10×10): pool1 u … u+2, conv1 2u … 2u+5, input 2u … 2u+9.
        XCTAssertEqual(field(lenet, "conv2", 9, 9), ReceptiveField(x: 18, y: 18, width: 10, height: 10))
        let opt = try Network(spec: "seed002")
        // Same padding of 1: the corner unit's field hangs one pixel over the edge.
        XCTAssertEqual(field(opt, "conv1", 0, 0), ReceptiveField(x: -1, y: -1, width: 3, height: 3))
        XCTAssertEqual(field(opt, "conv1", 0, 0)?.clipped(toWidth: 8, height: 8), ReceptiveField(x: 0, y: 0, width: 2, height: 2))
        // conv2 on pool1 (4×4): conv1 units 2u−2 … 2u+3, input 2u−3 … 2u+4.
        XCTAssertEqual(field(opt, "conv2", 1, 2), ReceptiveField(x: -1, y: 1, width: 8, height: 8))
    }
}
