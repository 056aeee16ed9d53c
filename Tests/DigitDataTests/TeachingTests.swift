import XCTest
@testable import ConvNet
@testable import DigitData

/// The teaching engine on a small network and made-up digits: it learns the
/// samples, repeats itself given a seed, never judges a sample with a network
/// taught on it, and leaves the "not a digit" output's weights alone.
final class TeachingTests: XCTestCase {
    static let spec = "in28x28x1-conv4k3-relu-pool2-flatten-dense16-relu-dense11-softmax"

    /// A small network with seeded random weights (11 outputs: the last is "not a digit").
    func network(seed: UInt64 = 3) throws -> Network {
        let net = try Network(spec: TeachingTests.spec)
        var rng = RNG(seed: seed)
        net.initialize(rng: &rng)
        return net
    }

    /// `count` images: digit d is a bar across row 3 + 2d (a column when `turned`),
    /// with seeded noise, so that the class is learnable from the pixels.
    func images(_ count: Int, seed: UInt64, turned: Bool = false) -> LabeledImages {
        var rng = RNG(seed: seed)
        var pixels = [Float](repeating: 0, count: count * 784), labels: [Int32] = []
        for i in 0..<count {
            let d = i % 10
            labels.append(Int32(d))
            for a in 4..<24 {
                let (y, x) = turned ? (a, 3 + 2 * d) : (3 + 2 * d, a)
                pixels[i * 784 + y * 28 + x] = 1
            }
            for j in 0..<784 { pixels[i * 784 + j] += rng.uniform(0, 0.2) }
        }
        return LabeledImages(shape: Shape(28, 28, 1), images: pixels, labels: labels)
    }

    func settings(seed: UInt64 = 1) -> TeachingSettings {
        var s = TeachingSettings()
        s.steps = 40; s.batchSize = 16; s.augmentedCopies = 2; s.rehearsal = 40; s.folds = 4; s.seed = seed
        s.learningRate = 0.01
        return s
    }

    func teaching(_ net: Network, seed: UInt64 = 1, samples: LabeledImages? = nil) throws -> Teaching {
        try Teaching(network: net, notADigitClass: 10, samples: samples ?? images(20, seed: 7, turned: true),
                     rehearsal: images(60, seed: 8), test: images(30, seed: 9), settings: settings(seed: seed))
    }

    /// The loss on the samples falls as the head learns them.
    func testLossGoesDownOnTheSamples() throws {
        let net = try network()
        let samples = images(20, seed: 7, turned: true)
        let trainer = TailTrainer(network: net, first: net.firstDenseLayer!, frozenClass: 10, learningRate: 0.01)
        let own = (inputs: net.activations(before: trainer.first, of: samples), labels: samples.labels)
        var losses: [Double] = []
        var rng = RNG(seed: 5)
        trainer.train(own: own, rehearsal: ([], []), steps: 60, batchSize: 16, ownShare: 1, rng: &rng,
                      progress: { _, loss in losses.append(loss) })
        XCTAssertEqual(losses.count, 60)
        let early = losses.prefix(5).reduce(0, +) / 5, late = losses.suffix(5).reduce(0, +) / 5
        XCTAssertLessThan(late, early * 0.5, "losses \(losses)")
    }

    /// Teaching made-up digits of another style: every fold's network reads its
    /// unseen samples better than the untaught one did.
    func testTeachingImprovesTheHeldOutSamples() throws {
        // Five of each digit, so that every fold is taught each digit it judges.
        let report = try teaching(try network(), samples: images(50, seed: 7, turned: true)).run()
        XCTAssertEqual(report.samples, 50)
        XCTAssertEqual(report.folds, 4)
        XCTAssertGreaterThan(report.samplesRightAfter, report.samplesRightBefore, "\(report.samplesRightBefore) → \(report.samplesRightAfter)")
        XCTAssertNotNil(report.testBefore)
        XCTAssertNotNil(report.testAfter)
    }

    /// The same seed gives the same weights and the same report; another seed does not.
    func testDeterministicGivenTheSeed() throws {
        let base = try network()
        let a = try teaching(base, seed: 4), b = try teaching(base, seed: 4), c = try teaching(base, seed: 5)
        let ra = try a.run(), rb = try b.run()
        _ = try c.run()
        func weights(_ n: Network) -> [[Float]] { n.namedParameters.map { $0.parameter.value.array(count: $0.parameter.count) } }
        XCTAssertEqual(weights(a.network), weights(b.network))
        XCTAssertNotEqual(weights(a.network), weights(c.network))
        XCTAssertEqual(ra.samplesRightAfter, rb.samplesRightAfter)
        XCTAssertEqual(ra.testAfter, rb.testAfter)
        XCTAssertEqual(ra.judged.map(\.judged), rb.judged.map(\.judged))
        // The network given is never touched.
        XCTAssertEqual(weights(base), weights(try network()))
    }

    /// Every sample is judged exactly once, by a fold whose network was taught
    /// every other sample and not that one.
    func testNoSampleIsJudgedByANetworkTaughtOnIt() throws {
        let report = try teaching(try network()).run()
        var judgedOnce = [Int](repeating: 0, count: report.samples)
        for fold in report.judged {
            XCTAssertTrue(Set(fold.judged).isDisjoint(with: fold.taughtOn), "fold \(fold.judged) was taught \(fold.taughtOn)")
            XCTAssertEqual(Set(fold.judged).union(fold.taughtOn), Set(0..<report.samples))
            for i in fold.judged { judgedOnce[i] += 1 }
        }
        XCTAssertEqual(judgedOnce, [Int](repeating: 1, count: report.samples))
    }

    /// Folds deal each digit evenly, so each fold's network has seen every digit.
    func testFoldsAreStratified() {
        let labels = (0..<50).map { Int32($0 % 10) }
        let folds = Teaching.folds(labels: labels, count: 5, seed: 1)
        XCTAssertEqual(folds.count, 5)
        for f in folds { XCTAssertEqual(Set(f.map { labels[$0] }).count, 10, "fold \(f)") }
        XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<50))
        XCTAssertEqual(Teaching.folds(labels: [1, 2, 3], count: 5, seed: 1).count, 3, "no empty fold")
    }

    /// The "not a digit" row of the last layer is exactly as it was.
    func testTheNotADigitOutputIsLeftAlone() throws {
        let base = try network()
        let t = try teaching(base)
        _ = try t.run()
        let before = base.layers.last { $0 is Dense } as! Dense, after = t.network.layers.last { $0 is Dense } as! Dense
        let inputs = before.inputShape.c
        XCTAssertEqual(before.weight.value.array(count: before.weight.count)[(10 * inputs)..<(11 * inputs)],
                       after.weight.value.array(count: after.weight.count)[(10 * inputs)..<(11 * inputs)])
        XCTAssertEqual(before.bias.value[10], after.bias.value[10])
        XCTAssertNotEqual(before.bias.value[3], after.bias.value[3], "the digits' outputs did learn")
    }

    /// Fewer samples than digits, and samples labelled "not a digit", are refused.
    func testRefusesTooFewSamplesAndNonDigits() throws {
        let net = try network()
        XCTAssertThrowsError(try teaching(net, samples: images(9, seed: 1))) { e in
            XCTAssertEqual("\(e)", "teaching needs at least 10 samples (one per digit); there are 9")
        }
        var odd = images(12, seed: 1)
        odd.labels[3] = 10
        XCTAssertThrowsError(try teaching(net, samples: odd)) { e in
            XCTAssertEqual("\(e)", "a sample is labelled 'not a digit' (10); teaching takes digits only")
        }
    }

    /// A run asked to stop stops, with `TeachingStopped`.
    func testStops() throws {
        var calls = 0
        XCTAssertThrowsError(try teaching(try network()).run(shouldStop: { calls += 1; return calls > 3 })) { e in
            XCTAssertTrue(e is TeachingStopped)
        }
    }
}
