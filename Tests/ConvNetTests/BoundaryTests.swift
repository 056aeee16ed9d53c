import XCTest
@testable import ConvNet

/// The engine's trust boundaries: a spec is sized before anything is
/// allocated, data is checked against the network it meets, weights must give
/// finite outputs, and every layer names itself (so none can be left out of a
/// weights file).
final class BoundaryTests: XCTestCase {
    func testLayersNameThemselvesAsBefore() throws {
        let net = try Network(spec: "digitnet")
        XCTAssertEqual(net.layerNames, ["conv1", "relu1", "conv2", "relu2", "pool1", "conv3", "relu3", "conv4", "relu4", "pool2",
                                        "flatten1", "fc1", "relu5", "dropout1", "fc2"])
        XCTAssertEqual(net.namedParameters.map(\.name), ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
                                                         "conv3.bias", "conv4.weight", "conv4.bias", "fc1.weight", "fc1.bias",
                                                         "fc2.weight", "fc2.bias"])
        XCTAssertEqual(try Network(spec: "in8x8x1-conv4k3-sigmoid-flatten-dense10-tanh-dense10").layerNames,
                       ["conv1", "sigmoid1", "flatten1", "fc1", "tanh1", "fc2"])
    }

    /// A layer the network has never heard of: its parameter is exported under
    /// its own name, with no list to forget to extend.
    func testANewLayerWithParametersIsExported() throws {
        final class Scale: Layer {
            let inputShape: Shape
            var outputShape: Shape { inputShape }
            let weight = Parameter("weight", shape: [1])
            let output = Buffer(), gradInput = Buffer()
            init(_ s: Shape) { inputShape = s }
            var kind: String { "Scale" }
            var baseName: String { "scale" }
            var spec: String { "scale" }
            var parameters: [Parameter] { [weight] }
            var costPerImage: (scratchFloats: Int, multiplyAdds: Int)? { (0, inputShape.count) }
            func forward(_ x: UnsafePointer<Float>, batch n: Int, training: Bool, rng: inout RNG) {}
            func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int, needInputGrad: Bool) {}
        }
        let layers: [Layer] = [Scale(.flat(4)), try Dense(input: .flat(4), units: 2), Scale(.flat(2))]
        XCTAssertEqual(Network.namedParameters(of: layers).map(\.name),
                       ["scale1.weight", "fc1.weight", "fc1.bias", "scale2.weight"])
    }

    /// What the app and `digits maps` show: each convolution's activations
    /// after its ReLU, named as in the summary.
    func testFeatureMapsAreTheConvolutionsActivations() throws {
        let net = try Network(spec: "in12x12x1-conv4k3-relu-conv3k3-pool2-flatten-dense10")
        XCTAssertEqual(net.featureMaps().count, 0, "no forward pass yet")
        var rng = RNG(seed: 4)
        net.initialize(rng: &rng)
        let x = (0..<144).map { _ in rng.uniform() }
        x.withUnsafeBufferPointer { _ = net.forward($0.baseAddress!, batch: 1, training: false, rng: &rng) }
        let maps = net.featureMaps()
        XCTAssertEqual(net.featureMapNames, ["conv1", "conv2"])
        XCTAssertEqual(maps.map(\.name), ["conv1", "conv2"])
        XCTAssertEqual(maps.map { [$0.height, $0.width, $0.channels] }, [[10, 10, 4], [8, 8, 3]])
        XCTAssertEqual(maps[0].values, Array(net.layers[1].output.array.prefix(400)), "conv1 after its ReLU")
        XCTAssertEqual(maps[1].values, Array(net.layers[2].output.array.prefix(192)), "conv2 has no activation")
        XCTAssertEqual(maps[0].minimum, 0)
        XCTAssertEqual(maps[1].maximum, maps[1].values.max())
    }

    /// The plan's sizes are the built network's, for every named model.
    func testSpecSizesMatchTheBuiltModels() throws {
        for (name, spec, _) in Architectures.specs {
            let size = try Spec.plan(spec).size
            let net = try Network(spec: spec)
            XCTAssertEqual(size.parameters, net.parameterCount, name)
            XCTAssertLessThan(size.floatsPerImage, ModelLimits.floatsPerImage / 5, name)
            print("\(name): \(size.parameters) parameters, \(size.floatsPerImage) floats and \(size.multiplyAddsPerImage) multiply-adds per image")
            XCTAssertEqual(Double(size.multiplyAddsPerImage) * 2, Benchmark.forwardFlops(net), name)
        }
        XCTAssertEqual(try Spec.plan(Architectures.spec(for: "seed004")).size.parameters, 2_380_938)
    }

    /// Specs beyond the limits are refused in one line, and nothing of their
    /// size is allocated first (before: 14 GB for the first, a trap or a
    /// wrapped size for the overflowing ones).
    func testOversizedSpecsAreRefusedBeforeAllocating() throws {
        let before = Benchmark.peakRSS
        let cases: [(String, String)] = [
            ("in28x28x1-flatten-dense999999-dense1000", "784999215 parameters, over the limit of 10000000"),
            ("in4096x4096x64-flatten-dense999999-dense10", "an input of 4096×4096×64 is over the limit"),
            ("in28x28x1-conv8k999same-flatten-dense10", "too large for its input"),
            ("in1448x1448x1-conv999999k1448-flatten-dense10", "parameters, over the limit"),
            ("in1x1x1-conv999999k1-conv999999k1-flatten-dense10", "layer 'conv999999k1' brings the model to 1000000999998 parameters"),
            ("in1448x1448x1-conv999999k2895same-flatten-dense10", "layer 'conv999999k2895same' makes the model too large to count"),
            ("in1024x1024x3-flatten-dense10", "an input of 1024×1024×3 is over the limit of 2097152 values per image"),
            ("in64x64x64-conv3000k5s4same-flatten-dense10", "1228800000 multiply-adds per image"),
            ("in28x28x1-conv64000k3-flatten-dense10", "values per image, over the limit"),
            ("in1x1x1-flatten-dense2000", "2000 class scores, over the limit of 1000"),
            ("in1x1x1" + String(repeating: "-relu", count: 1001) + "-flatten-dense10", "1003 layers, over the limit of 1000"),
            (String(repeating: "relu-", count: 20_000) + "dense10", "bytes, over the limit of 65536"),
        ]
        for (spec, expected) in cases {
            XCTAssertThrowsError(try Network(spec: spec), String(spec.prefix(80))) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(spec.prefix(80)): '\(error)' does not mention '\(expected)'")
                XCTAssertFalse("\(error)".contains("\n"))
                XCTAssertLessThan("\(error)".count, 300)
            }
        }
        XCTAssertLessThan(Benchmark.peakRSS - before, 100 << 20, "peak memory grew while refusing")
        // Just within: 10 M parameters (a dense layer of 9,999,990 weights and 10 biases).
        XCTAssertEqual(try Spec.plan("in999x1001x1-flatten-dense10").size.parameters, 10_000_000)
        XCTAssertThrowsError(try Spec.plan("in999x1001x1-flatten-dense11"))
        // What the fuzzer found: garbage between the input's numbers was skipped, read as in9x1001x9.
        for bad in ["inin9x9x2\0\u{FFFD}a99x1001xin9x9x2-flatten-dense10", "in9x9x2junk-flatten-dense10", "in9xx9-flatten-dense10",
                    "in+9x9-flatten-dense10", "in9x9x1x1-flatten-dense10", "in09999x1-flatten-dense10"] {
            XCTAssertThrowsError(try Spec.plan(bad), bad) { XCTAssertTrue("\($0)".contains("bad input token"), "\($0)") }
        }
    }

    /// A file's text in a message: no control characters, not megabytes.
    func testSpecErrorsShowOutsideTextSafely() {
        XCTAssertThrowsError(try Network(spec: "conv8k3-\u{1B}[2Jwobble-dense10")) { error in
            XCTAssertEqual("\(error)".contains("\u{1B}"), false)
            XCTAssertTrue("\(error)".contains("'\\e[2jwobble'"), "\(error)")
        }
        XCTAssertThrowsError(try Network(spec: String(repeating: "x", count: 5000) + "-dense10")) { error in
            XCTAssertLessThan("\(error)".count, 200)
        }
    }

    /// The one check where data meets a network: shape and labels.
    func testDataMustFitTheNetwork() throws {
        let net = try Network(spec: "in4x4x1-flatten-dense3")
        func data(_ shape: Shape, _ labels: [Int32]) -> LabeledImages {
            LabeledImages(shape: shape, images: [Float](repeating: 0.5, count: labels.count * shape.count), labels: labels)
        }
        XCTAssertNoThrow(try net.check(data(Shape(4, 4, 1), [0, 1, 2]), role: "training"))
        let cases: [(LabeledImages, String)] = [
            (data(Shape(1, 1, 1), [0]), "the model takes 4×4×1 images but the training images are 1×1×1"),
            (data(Shape(4, 4, 2), [0]), "the training images are 4×4×2"),
            (data(Shape(4, 4, 1), [0, 3]), "the training set has label 3 but the model gives 3 class scores (labels 0...2)"),
            (data(Shape(4, 4, 1), [-1]), "the training set has label -1"),
        ]
        for (d, expected) in cases {
            XCTAssertThrowsError(try net.check(d, role: "training")) { XCTAssertTrue("\($0)".contains(expected), "\($0)") }
        }
    }

    /// Weights of 3e38 are finite, but every class score overflows: refused on
    /// load, where before `predict` printed "-nan %".
    func testWeightsWhoseOutputsOverflowAreRefused() throws {
        let net = try Network(spec: "seed003")
        var rng = RNG(seed: 1)
        net.initialize(rng: &rng)
        XCTAssertNoThrow(try WeightsFile.network(from: WeightsFile.encode(net, metadata: [])))
        for (_, p) in net.namedParameters { for i in 0..<p.count { p.value[i] = 3e38 } }
        XCTAssertThrowsError(try WeightsFile.network(from: WeightsFile.encode(net, metadata: []))) {
            XCTAssertTrue("\($0)".contains("non-finite class scores"), "\($0)")
        }
    }

    /// The shipped model loads under the same tensor names, with the same
    /// values, and reads the same digits as its file's weights would.
    func testShippedWeightsLoadUnchanged() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/digitnet.safetensors").path
        let (net, file) = try WeightsFile.load(path)
        XCTAssertEqual(net.name, "digitnet")
        XCTAssertEqual(Set(net.namedParameters.map(\.name)), Set(file.tensors.map(\.name)))
        for (name, p) in net.namedParameters { XCTAssertEqual(p.exported(), file[name]!.values, name) }
    }
}
