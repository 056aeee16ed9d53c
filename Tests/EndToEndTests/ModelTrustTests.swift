import ConvNet
import Foundation
import XCTest

/// What reaches the engine from outside (a model spec, a weights file, a data
/// set, an option) is checked where it enters: one line on stderr and exit 1 or
/// 2, never a signal, corrupt memory or a NaN printed as a result (issue 10).
private extension Array where Element == UInt8 { var data: Data { Data(self) } }

final class ModelTrustTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else {
            throw XCTSkip("no digits binary at \(Binary.path); run `make test` (it builds one)")
        }
        dir = try temporaryDirectory()
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A small MNIST-format directory: `train` images of `trainSide`², 10 test
    /// images of 28², labels cycling through 0...9.
    func mnist(_ name: String, train: Int = 20, trainSide: Int = 28) throws -> String {
        let d = "\(dir)/\(name)"
        try TinyMNIST.write(to: d, train: train, test: 10, trainSide: trainSide)
        return d
    }

    /// A vertical bar: a 1, as a 28×28 PGM.
    func writePicture(_ path: String) throws {
        let pixels: [UInt8] = (0..<784).map { i in i % 28 > 10 && i % 28 < 16 ? 255 : 0 }
        try (Data("P5 28 28 255\n".utf8) + Data(pixels)).write(to: URL(fileURLWithPath: path))
    }

    func assertRefused(_ args: [String], status: Int32, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Binary.run(args, cwd: dir)
        XCTAssertEqual(r.status, status, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("digits: ") && r.stderr.contains(expected), "\(args): \(r.stderr)", file: file, line: line)
    }

    /// Labels 0...9 on a model with fewer outputs: the loss wrote past each row
    /// of class scores (malloc(): invalid size, SIGABRT; dense9 silently).
    func testLabelsBeyondTheModelsOutputsAreRefused() throws {
        let data = try mnist("small")
        for units in [1, 3, 5, 9] {
            try assertRefused(["train", "--data", data, "--model", "in28x28x1-flatten-dense\(units)", "--epochs", "1"], status: 2,
                              "the mnist training set has label \(units) but the model gives \(units) class scores")
        }
        try assertRefused(["cv", "--data", data, "--dataset", "mnist", "--model", "in28x28x1-flatten-dense3", "--folds", "2", "--epochs", "1"],
                          status: 2, "has label 3 but the model gives 3 class scores")
        // Weights of such a model, made directly: eval must refuse them too.
        let weights = "\(dir)/dense3.safetensors"
        try WeightsFile.save(try Network(spec: "in28x28x1-flatten-dense3"), metadata: [], to: weights)
        try assertRefused(["eval", "--weights", weights, "--data", data], status: 2,
                          "the mnist test set has label 3 but the model gives 3 class scores")
    }

    /// Training images of another size than the model's input, with test images
    /// of the right size: read out of bounds (1×1: SIGSEGV; 10×10: NaN weights;
    /// cv: a trap when pooling).
    func testTrainingImagesOfAnotherSizeAreRefused() throws {
        for side in [1, 10] {
            let data = try mnist("side\(side)", trainSide: side)
            let message = "the model takes 28×28×1 images but the mnist training images are \(side)×\(side)×1"
            try assertRefused(["train", "--data", data, "--model", "seed003", "--epochs", "1"], status: 2, message)
            try assertRefused(["cv", "--data", data, "--dataset", "mnist", "--model", "seed003", "--folds", "2", "--epochs", "1"],
                              status: 2, message)
        }
    }

    /// A 150-byte weights file naming a model of 4 PB, specs of 14 GB of
    /// parameters or 3 GB of patches per image: refused before allocating.
    func testOversizedModelsAreRefusedBeforeAllocating() throws {
        let huge = "\(dir)/huge.safetensors"
        _ = FileManager.default.createFile(atPath: huge, contents: Safetensors(tensors: [], metadata: [
            ("spec", "in4096x4096x64-flatten-dense999999-dense10")]).encode().data)
        let picture = "\(dir)/digit.pgm"
        try writePicture(picture)
        let data = try mnist("small")
        let tooLarge = "over the limit of"
        try assertRefused(["predict", "--weights", huge, picture], status: 1, tooLarge)
        try assertRefused(["eval", "--weights", huge, "--data", data], status: 1, tooLarge)
        try assertRefused(["summary", "--weights", huge], status: 1, tooLarge)
        try assertRefused(["maps", "--weights", huge, picture, "--out", dir], status: 1, tooLarge)
        try assertRefused(["summary", "--model", "in28x28x1-flatten-dense999999-dense1000"], status: 2,
                          "layer 'dense999999' brings the model to 784999215 parameters, over the limit of 10000000")
        try assertRefused(["summary", "--model", "in28x28x1-conv8k999same-flatten-dense10"], status: 2, "too large for its input")
        try assertRefused(["summary", "--model", "in28x28x1-conv64000k3-flatten-dense10"], status: 2,
                          "layer 'conv64000k3' brings the model to 43270868 values per image, over the limit of 2097152")
        try assertRefused(["summary", "--model", "in64x64x64-conv3000k5s4same-flatten-dense10"], status: 2,
                          "layer 'conv3000k5s4same' brings the model to 1228800000 multiply-adds per image, over the limit of 250000000")
        try assertRefused(["summary", "--model", "in1x1x1-flatten-dense2000"], status: 2, "2000 class scores, over the limit of 1000")
        try assertRefused(["bench", "--images", "999999999999"], status: 2, "--images must be a whole number from 128 to 60000")
    }

    /// Finite weights so large that every class score overflows: the
    /// probabilities were NaN, printed as "-nan %" with exit 0.
    func testWeightsWithNonFiniteOutputsAreRefused() throws {
        let net = try Network(spec: "seed003")
        for (_, p) in net.namedParameters { for i in 0..<p.count { p.value[i] = 3e38 } }
        let weights = "\(dir)/overflow.safetensors"
        try WeightsFile.save(net, metadata: [], to: weights)
        let picture = "\(dir)/digit.pgm"
        try writePicture(picture)
        try assertRefused(["predict", "--weights", weights, picture], status: 1, "non-finite class scores")
    }

    /// Weights that are finite for a blank and a full image (the load check)
    /// but overflow on a drawn digit: one hidden unit is 3e38 × (centre pixel −
    /// corner pixel), and every class score doubles it. Refused per picture.
    func testOutputsThatOverflowOnAPictureAreNotPrinted() throws {
        let weights = "\(dir)/overflow-on-ink.safetensors"
        try CraftedWeights.overflowingOnInk(to: weights)
        let picture = "\(dir)/digit.pgm"
        try writePicture(picture)
        try assertRefused(["predict", "--weights", weights, picture], status: 1, "digit.pgm: \(weights) gives non-finite class scores for it")
        try assertRefused(["maps", "--weights", weights, picture, "--out", dir], status: 1, "gives non-finite class scores for it")
    }
}
