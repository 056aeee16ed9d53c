import XCTest
@testable import ConvNet

/// The training recipe's pieces: learning-rate schedules, label smoothing, the
/// weight average, drawn examples mixed into an epoch, and their settings.
final class RecipeTests: XCTestCase {
    let dir = NSTemporaryDirectory() + "recipe-tests-\(getpid())"
    override func setUpWithError() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    // MARK: schedules

    func testScheduleValues() {
        func rate(_ s: LearningRateSchedule, epoch: Int, batch: Int) -> Float {
            s.rate(base: 0.01, decay: 0.5, epoch: epoch, batch: batch, batches: 10, epochs: 4)
        }
        // step: × decay per epoch, flat within one.
        XCTAssertEqual(rate(.step, epoch: 1, batch: 0), 0.01)
        XCTAssertEqual(rate(.step, epoch: 1, batch: 9), 0.01)
        XCTAssertEqual(rate(.step, epoch: 3, batch: 5), 0.0025, accuracy: 1e-9)
        // cosine over 40 batches: the rate at the start, half at the middle, a quarter turn in.
        XCTAssertEqual(rate(.cosine, epoch: 1, batch: 0), 0.01, accuracy: 1e-9)
        XCTAssertEqual(rate(.cosine, epoch: 3, batch: 0), 0.005, accuracy: 1e-8)
        XCTAssertEqual(rate(.cosine, epoch: 2, batch: 0), 0.01 * Float(0.5 + 0.5 * cos(Double.pi / 4)), accuracy: 1e-8)
        XCTAssertEqual(rate(.cosine, epoch: 4, batch: 9), 0.01 * Float(0.5 + 0.5 * cos(Double.pi * 39 / 40)), accuracy: 1e-9)
        XCTAssertGreaterThan(rate(.cosine, epoch: 4, batch: 9), 0, "the last batch still learns")
        // one-cycle: warm-up from a tenth over the first 20 % (8 batches), then the cosine down.
        XCTAssertEqual(rate(.onecycle, epoch: 1, batch: 0), 0.001, accuracy: 1e-9)
        XCTAssertEqual(rate(.onecycle, epoch: 1, batch: 4), 0.001 + 0.009 * 0.5, accuracy: 1e-8)
        XCTAssertEqual(rate(.onecycle, epoch: 1, batch: 8), 0.01, accuracy: 1e-8)
        XCTAssertEqual(rate(.onecycle, epoch: 3, batch: 4), 0.005, accuracy: 1e-8, "halfway through the descent: batch 24 of 8…40")
        XCTAssertLessThan(rate(.onecycle, epoch: 4, batch: 9), 0.0001)
    }

    /// The trainer sets the schedule's rate before every batch.
    func testTrainerFollowsTheSchedule() throws {
        var s = TrainingSettings(); s.epochs = 2; s.batchSize = 4; s.schedule = .cosine; s.learningRate = 0.01
        let net = try Network(spec: "in2x2x1-flatten-dense3")
        let data = LabeledImages(shape: Shape(2, 2, 1), images: [Float](repeating: 0.5, count: 8 * 4), labels: [Int32](repeating: 1, count: 8))
        let t = Trainer(network: net, settings: s)
        _ = t.run(train: data, validation: nil)
        // 2 batches an epoch, 4 in all: epoch 1 ends on batch 2 (t = 1/4), epoch 2 on batch 4 (t = 3/4).
        XCTAssertEqual(t.history.map(\.learningRate), [0.01 * Float(0.5 + 0.5 * cos(Double.pi / 4)), 0.01 * Float(0.5 + 0.5 * cos(3 * Double.pi / 4))])
    }

    // MARK: label smoothing

    private func loss(_ z: [Float], label: Int32, smoothing: Float) -> (loss: Double, grad: [Float]) {
        var g = [Float](repeating: 0, count: z.count)
        let r = z.withUnsafeBufferPointer { zb in g.withUnsafeMutableBufferPointer { gb in
            withUnsafePointer(to: label) { SoftmaxCrossEntropy.evaluate(logits: zb.baseAddress!, labels: $0, batch: 1, classes: z.count,
                                                                         grad: gb.baseAddress!, smoothing: smoothing) }
        } }
        return (r.loss, g)
    }

    func testLabelSmoothingLossAndGradientByHand() {
        // z = (ln 3, 0): p = (0.75, 0.25); ε = 0.2 over 2 classes: target (0.9, 0.1).
        let r = loss([logf(3), 0], label: 0, smoothing: 0.2)
        XCTAssertEqual(r.loss, -(0.9 * log(0.75) + 0.1 * log(0.25)), accuracy: 1e-6)
        XCTAssertEqual(r.grad[0], -0.15, accuracy: 1e-6)
        XCTAssertEqual(r.grad[1], 0.15, accuracy: 1e-6)
        // ε = 0 is the plain one-hot loss.
        let plain = loss([logf(3), 0], label: 0, smoothing: 0)
        XCTAssertEqual(plain.loss, -log(0.75), accuracy: 1e-6)
        XCTAssertEqual(plain.grad, [-0.25, 0.25])
    }

    func testLabelSmoothingGradientMatchesFiniteDifferences() {
        let z: [Float] = [0.3, -1.2, 2.0, 0.7, -0.4]
        let r = loss(z, label: 3, smoothing: 0.1)
        for j in z.indices {
            var up = z, down = z
            up[j] += 1e-2; down[j] -= 1e-2
            let numeric = (loss(up, label: 3, smoothing: 0.1).loss - loss(down, label: 3, smoothing: 0.1).loss) / 2e-2
            XCTAssertEqual(Double(r.grad[j]), numeric, accuracy: 1e-4, "logit \(j)")
        }
    }

    // MARK: the weight average

    func testWeightAverageByHand() throws {
        let p = Parameter("weight", shape: [2])
        p.value.pointer[0] = 0; p.value.pointer[1] = 10
        let a = WeightAverage(decay: 0.9, parameters: [p])
        XCTAssertEqual(a.values[0].array, [0, 10], "starts at the weights")
        p.value.pointer[0] = 1; p.value.pointer[1] = 10
        a.update([p])   // decay min(0.9, 1/10) = 0.1
        XCTAssertEqual(a.values[0].array[0], 0.9, accuracy: 1e-6)
        a.update([p])   // decay min(0.9, 2/11)
        XCTAssertEqual(a.values[0].array[0], 2 / 11 * 0.9 + 9 / 11, accuracy: 1e-6)
        for _ in 0..<200 { a.update([p]) }
        XCTAssertEqual(a.currentDecay, 0.9, "the warm-up is over")
        XCTAssertEqual(a.values[0].array[1], 10, accuracy: 1e-5)
        p.value.pointer[0] = 7
        a.copy(into: [p])
        XCTAssertEqual(p.value.array[0], a.values[0].array[0])
    }

    /// A run with averaging ends with the average (not the last step's weights),
    /// and resuming its checkpoint ends bit for bit where an unbroken run does.
    func testAveragedRunResumesBitForBit() throws {
        var rng = RNG(seed: 8)
        let data = LabeledImages(shape: Shape(8, 8, 1), images: (0..<(96 * 64)).map { _ in rng.uniform() },
                                 labels: (0..<96).map { _ in Int32(rng.below(10)) })
        var s = TrainingSettings(); s.epochs = 3; s.batchSize = 16; s.seed = 5
        s.averaging = 0.95; s.schedule = .onecycle; s.labelSmoothing = 0.1
        let spec = "in8x8x1-conv4k3-relu-pool2-flatten-drop0.25-dense10"
        let full = try Network(spec: spec)
        let unbroken = Trainer(network: full, settings: s)
        _ = unbroken.run(train: data, validation: nil)
        XCTAssertEqual(full.namedParameters[0].parameter.value.array, unbroken.average!.values[0].array)

        // Saved after epoch 1 as TrainingRun does (before the run ends with the
        // average): the live weights, with the average beside the optimizer's state.
        let net = try Network(spec: spec)
        let t1 = Trainer(network: net, settings: s)
        let ckpt = dir + "/c.safetensors"
        _ = t1.run(train: data, validation: nil, epochEnded: { _ in try? Checkpoint.save(t1, metadata: [], to: ckpt) },
                   shouldStop: { t1.epochsDone == 1 })
        let (resumedNet, file) = try WeightsFile.load(ckpt)
        XCTAssertNotNil(file["optimizer.conv1.weight.average"])
        let t2 = Trainer(network: resumedNet, settings: s, initialize: false)
        try Checkpoint.restore(t2, from: file, path: ckpt)
        _ = t2.run(train: data, validation: nil)
        for (a, b) in zip(full.namedParameters, resumedNet.namedParameters) {
            XCTAssertEqual(a.parameter.value.array, b.parameter.value.array, a.name)
        }
    }

    // MARK: drawn examples

    /// Every third example a constant image of label 2; drawn with the example's generator.
    struct Drawn: ExampleSource {
        let count = 10
        let shape = Shape(4, 4, 1)
        func label(_ i: Int) -> Int32 { 2 }
        func render(_ i: Int, into image: UnsafeMutablePointer<Float>, rng: inout RNG) {
            for j in 0..<16 { image[j] = rng.uniform() }
        }
    }

    func testDrawnExamplesJoinTheEpochRepeatably() throws {
        func run(threads: Int) throws -> (weights: [Float], images: Int) {
            Threads.set(threads)
            var rng = RNG(seed: 3)
            let data = LabeledImages(shape: Shape(4, 4, 1), images: (0..<(20 * 16)).map { _ in rng.uniform() },
                                     labels: (0..<20).map { _ in Int32(rng.below(2)) })
            var s = TrainingSettings(); s.epochs = 2; s.batchSize = 16; s.seed = 9
            let net = try Network(spec: "in4x4x1-flatten-dense3")
            let t = Trainer(network: net, settings: s)
            t.generated = Drawn()
            _ = t.run(train: data, validation: nil)
            return (net.namedParameters.flatMap { $0.parameter.value.array }, t.history[0].images)
        }
        defer { Threads.set(2) }
        let a = try run(threads: 2), b = try run(threads: 2)
        XCTAssertEqual(a.images, 30, "20 stored and 10 drawn")
        XCTAssertEqual(a.weights, b.weights)
        let one = try run(threads: 1), oneAgain = try run(threads: 1)
        XCTAssertEqual(one.images, 30)
        XCTAssertEqual(one.weights, oneAgain.weights)
    }

    // MARK: settings

    func testRecipeSettingsRoundTripAndAreLeftOutWhenUnused() throws {
        let plain = WeightsMetadata.encode(TrainingSettings())
        for key in ["schedule", "label_smoothing", "averaging", "elastic", "stretch", "thickness", "pen_digits", "negatives", "pen_warp"] {
            XCTAssertFalse(plain.contains(key), "\(key) is written only when used: \(plain)")
        }
        var s = TrainingSettings()
        s.schedule = .onecycle; s.labelSmoothing = 0.1; s.averaging = 0.999; s.elastic = 1.5
        s.stretch = 0.1; s.thickness = 0.25; s.penDigits = 2; s.negatives = 9000; s.penWarp = 0.1
        XCTAssertEqual(try WeightsMetadata.decodeSettings(WeightsMetadata.encode(s)), s)
    }

    func testRecipeSettingsRangesAreChecked() {
        func problem(_ change: (inout TrainingSettings) -> Void) -> String {
            var s = TrainingSettings(); change(&s)
            do { try s.validate(); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertEqual(problem { $0.labelSmoothing = 0.6 }, "--label-smoothing must be a number in [0, 0.5]")
        XCTAssertEqual(problem { $0.labelSmoothing = .nan }, "--label-smoothing must be a number in [0, 0.5]")
        XCTAssertEqual(problem { $0.averaging = 1 }, "--averaging must be a number in [0, 1)")
        XCTAssertEqual(problem { $0.elastic = -1 }, "--elastic must be a number in [0, 4]")
        XCTAssertEqual(problem { $0.stretch = 1.5 }, "--stretch must be a number in [0, 1]")
        XCTAssertEqual(problem { $0.thickness = .infinity }, "--thickness must be a number in [0, 1]")
        XCTAssertEqual(problem { $0.penDigits = 21 }, "--pen-digits must be a whole number from 0 to 20")
        XCTAssertEqual(problem { $0.negatives = -1 }, "--negatives must be a whole number from 0 to 1000000")
        XCTAssertEqual(problem { $0.penWarp = 0.25 }, "--pen-warp must be a number in [0, 0.2]")
        XCTAssertEqual(problem { $0.penWarp = .nan }, "--pen-warp must be a number in [0, 0.2]")
        XCTAssertEqual(problem { $0.schedule = .onecycle; $0.averaging = 0.999 }, "accepted")
        XCTAssertThrowsError(try WeightsMetadata.decodeSettings(#"{"epochs":1,"batch_size":1,"optimizer":"adam","seed":"1","schedule":"linear"}"#)) {
            XCTAssertEqual("\($0)", "--schedule must be one of step, cosine, onecycle")
        }
    }
}
