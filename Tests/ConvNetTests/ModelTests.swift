import XCTest
@testable import ConvNet

final class ModelTests: XCTestCase {
    /// DESIGN.md's parameter counts, exactly.
    func testSeedParameterCounts() throws {
        let expected = ["seed000": 197_855, "seed001": 81_066, "seed002": 102_794, "seed003": 173_738, "seed004": 2_380_938]
        for (name, count) in expected {
            let net = try Network(spec: name)
            XCTAssertEqual(net.parameterCount, count, name)
            XCTAssertEqual(net.name, name)
        }
        XCTAssertEqual(try Network(spec: "seed002").inputShape, Shape(8, 8, 1))
    }

    func testSpecRoundTripsAndRejectsNonsense() throws {
        for (name, spec, _) in Architectures.specs {
            XCTAssertEqual(try Network(spec: name).spec, spec)
            XCTAssertEqual(try Network(spec: spec).name, name)
        }
        XCTAssertEqual(try Network(spec: "conv8k3s2same-relu-flatten-dense10").layers[0].outputShape, Shape(14, 14, 8))
        for bad in ["", "conv", "conv32k", "dense", "flatten", "conv8k3-dense10", "conv8k40-flatten-dense10",
                    "in0x0-flatten-dense10", "drop1.5-flatten-dense10", "wobble-dense10", "conv8k3-relu"] {
            XCTAssertThrowsError(try Network(spec: bad), bad)
        }
    }

    /// One image at a time (the app's path: dense layers use a matrix-vector
    /// product) gives the same outputs as the same images in one batch.
    func testOneImageAtATimeMatchesTheBatch() throws {
        for spec in ["seed003", "in12x12x2-conv4k3-relu-pool2-flatten-dense7-relu-dense10"] {
            let net = try Network(spec: spec)
            var rng = RNG(seed: 21)
            net.initialize(rng: &rng)
            let n = 5, size = net.inputShape.count, classes = 10
            let x = (0..<(n * size)).map { _ in rng.uniform() }
            let whole = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: n, training: false, rng: &rng), count: n * classes)) }
            for i in 0..<n {
                let one = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: net.forward($0.baseAddress! + i * size, batch: 1, training: false, rng: &rng), count: classes)) }
                for c in 0..<classes { XCTAssertEqual(one[c], whole[i * classes + c], accuracy: 1e-5 * max(1, abs(whole[i * classes + c])), "\(spec) image \(i) class \(c)") }
            }
        }
    }

    /// A tiny model must learn 64 images by heart: the whole loop works.
    func testOverfitsSixtyFourImages() throws {
        var rng = RNG(seed: 11)
        let n = 64
        // Random 12×12 images, random labels: only memorisation can fit them.
        let images = (0..<(n * 144)).map { _ in rng.uniform() }
        let labels = (0..<n).map { _ in Int32(rng.below(10)) }
        let data = LabeledImages(shape: Shape(12, 12, 1), images: images, labels: labels)
        let net = try Network(spec: "in12x12x1-conv8k3-relu-pool2-flatten-dense64-relu-dense10")
        var s = TrainingSettings()
        s.epochs = 60; s.batchSize = 16; s.learningRate = 0.003; s.seed = 3
        let trainer = Trainer(network: net, settings: s)
        XCTAssertEqual(trainer.run(train: data, validation: nil), .finished)
        XCTAssertEqual(Evaluation(network: net, data: data).accuracy, 1.0)
    }

    /// Same seed, same weights, bit for bit (dropout included), with one thread
    /// and with two (the data-parallel shards are fixed).
    func testSameSeedSameRun() throws {
        defer { Threads.set(2) }
        for threads in [1, 2] {
            Threads.set(threads)
            XCTAssertEqual(try train(), try train(), "\(threads) threads")
        }
        func train() throws -> [Float] {
            var rng = RNG(seed: 2)
            let data = LabeledImages(shape: Shape(8, 8, 1), images: (0..<(40 * 64)).map { _ in rng.uniform() },
                                     labels: (0..<40).map { _ in Int32(rng.below(10)) })
            let net = try Network(spec: "in8x8x1-conv4k3-relu-flatten-drop0.2-dense10")
            var s = TrainingSettings(); s.epochs = 2; s.batchSize = 16; s.seed = 42
            _ = Trainer(network: net, settings: s).run(train: data, validation: nil)
            return net.namedParameters.flatMap { $0.parameter.value.array }
        }
    }

    func testInitializersUseTheirLimits() throws {
        let net = try Network(spec: "in8x8x2-conv16k3-relu-flatten-dense10")
        for scheme in Network.Initializer.allCases {
            var rng = RNG(seed: 3)
            net.initialize(rng: &rng, scheme: scheme)
            let w = net.namedParameters[0].parameter.value.array
            let fanIn: Float = 2 * 9, fanOut: Float = 16 * 9
            let limit = scheme == .glorot ? (6 / (fanIn + fanOut)).squareRoot() : (6 / fanIn).squareRoot()
            XCTAssertLessThanOrEqual(w.map(abs).max()!, limit)
            XCTAssertGreaterThan(w.map(abs).max()!, limit * 0.9, "\(scheme) spans its range")
            XCTAssertEqual(net.namedParameters[1].parameter.value.array, [Float](repeating: 0, count: 16))
        }
    }

    func testOptimizersFollowKerasFormulas() {
        // One parameter w = 1 with gradient 0.5, two steps, against hand-computed values.
        func run(_ kind: OptimizerKind, lr: Float, momentum: Float = 0) -> Float {
            let p = Parameter("weight", shape: [1])
            p.value[0] = 1
            let o = Optimizer(kind, learningRate: lr, momentum: momentum)
            for _ in 0..<2 { p.grad[0] = 0.5; o.update([p]) }
            return p.value[0]
        }
        // SGD with momentum 0.9: v1 = -0.05, w = 0.95; v2 = -0.045 - 0.05 = -0.095, w = 0.855
        XCTAssertEqual(run(.sgd, lr: 0.1, momentum: 0.9), 0.855, accuracy: 1e-6)
        // Adam: each step moves by ≈ lr (m̂/√v̂ = 1): 1 - 2·0.001
        XCTAssertEqual(run(.adam, lr: 0.001), 0.998, accuracy: 1e-5)
        // Adadelta, lr 1, ρ 0.95, ε 1e-7: step 1: Eg² = 0.0125, Δ = -√1e-7/√(0.0125+1e-7)·0.5
        let eg1: Float = 0.05 * 0.25
        let d1 = -(Float(1e-7)).squareRoot() / (eg1 + 1e-7).squareRoot() * 0.5
        let ed1 = 0.05 * d1 * d1
        let eg2 = 0.95 * eg1 + 0.05 * 0.25
        let d2 = -(ed1 + 1e-7).squareRoot() / (eg2 + 1e-7).squareRoot() * 0.5
        XCTAssertEqual(run(.adadelta, lr: 1), 1 + d1 + d2, accuracy: 1e-7)
    }

    func testFlattenMatchesPyTorchOrder() {
        let f = Flatten(input: Shape(2, 2, 3))
        // NHWC value = 100·c + 10·y + x; PyTorch order is c, then y, then x.
        var x = [Float](repeating: 0, count: 12)
        for y in 0..<2 { for xx in 0..<2 { for c in 0..<3 { x[(y * 2 + xx) * 3 + c] = Float(100 * c + 10 * y + xx) } } }
        var rng = RNG(seed: 0)
        x.withUnsafeBufferPointer { f.forward($0.baseAddress!, batch: 1, training: false, rng: &rng) }
        XCTAssertEqual(f.output.array, [0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211])
    }

    func testConvExportLayoutRoundTrips() throws {
        let conv = try Conv2D(input: Shape(4, 4, 2), filters: 3, kernel: 3)
        let e = (0..<conv.weight.count).map(Float.init)
        conv.weight.load(exported: e)
        XCTAssertEqual(conv.weight.exported(), e)
        // [out, in, kh, kw] index (o=1, c=1, y=2, x=0) = ((1·2+1)·3+2)·3+0 = 33;
        // inside: [out, kh, kw, in] index ((1·3+2)·3+0)·2+1 = 31.
        XCTAssertEqual(conv.weight.value[31], 33)
    }
}
