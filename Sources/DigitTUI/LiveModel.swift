import ConvNet
import DigitData

/// What the network made of the drawing.
public struct Reading: Sendable {
    public var probabilities: [Float]
    public var normalized: [Float]   // 28×28, what was classified
    public var maps: [FeatureMap]
    /// How the drawing was cropped, scaled and shifted into `normalized`.
    public var placement: MNISTNormalizer.Placement
    /// Which pixels pushed the answer up or toward the runner-up, when asked for.
    public var evidence: Evidence?
    /// The layer before the output and the logits (the explorer's dense view).
    public var dense: DenseView?
    /// Seconds spent normalising and running the network.
    public var seconds: Double
    /// The model's "not a digit" output, if it has one.
    public var notADigitClass: Int? = nil
    /// The digit and the verdict, as every part of the product says them.
    public var said: DigitReading { DigitReading(probabilities, notADigitClass: notADigitClass) }
    /// The most likely digit (never the "not a digit" output).
    public var top: Int { said.digit }
}

/// The network the app shows, with where it came from.
public final class LiveModel {
    public let network: Network
    public let source: String            // a path, or "trained in this session"
    public let metadata: [(String, String)]
    /// The "not a digit" output (checked: the last one), or nil: this model gives no verdict.
    public let notADigitClass: Int?
    private var rng = RNG(seed: 0)

    public init(network: Network, source: String, metadata: [(String, String)]) throws {
        guard network.inputShape == Shape(28, 28, 1) else {
            throw SpecError("the app draws 28×28 digits; this model takes \(network.inputShape) inputs")
        }
        self.network = network
        self.source = source
        self.metadata = metadata
        // Files are checked when loaded; a model trained in the app is checked here too.
        notADigitClass = try WeightsMetadata.checkNotADigitClass({ k in metadata.first { $0.0 == k }?.1 }, classes: network.classes)
        // One pass on a blank image now, as the strokes will run it, so that the
        // first stroke does not pay for the layers' one-image buffers and the
        // first touch of the weights (docs/PERFORMANCE.md).
        Threads.whileReadingOneAtATime {
            [Float](repeating: 0, count: 28 * 28).withUnsafeBufferPointer {
                _ = network.forward($0.baseAddress!, batch: 1, training: false, rng: &rng)
            }
        }
    }

    public static func load(_ path: String) throws -> LiveModel {
        let (net, file) = try WeightsFile.load(path)
        do { return try LiveModel(network: net, source: path, metadata: file.metadata) }
        catch let e as SpecError { throw FileError(path, e.description) }
    }

    public var name: String { network.name ?? "custom" }
    /// Through the one metadata decoder (nil when the file records none, or records something invalid).
    public var testAccuracy: Double? {
        let meta = metadata
        return (try? WeightsMetadata(decoding: { k in meta.first { $0.0 == k }?.1 }))?.testAccuracy
    }

    /// Names and output shapes of the convolution layers whose maps are shown.
    public var convLayerNames: [String] { network.featureMapNames }

    /// The output shape of each convolution layer, in `convLayerNames`' order:
    /// what the feature-map panel pages through, known before anything is drawn.
    public var convOutputShapes: [Shape] { network.layers.compactMap { $0 is Conv2D ? $0.outputShape : nil } }

    /// Normalises the canvas like MNIST and runs the network once, keeping every
    /// convolution's activations (after its ReLU when one follows). Nil for an
    /// empty canvas: there is nothing to read.
    /// With `evidence`, the same forward pass is followed by one backward pass
    /// for the evidence overlay (`Evidence`).
    public func read(_ canvas: Canvas, evidence wanted: Bool = false) -> Reading? {
        let start = now()
        guard let norm = DrawingInput.prepare(canvas) else {
            return nil
        }
        let input = norm.pixels
        let k = network.classes
        var probs = [Float](repeating: 0, count: k)
        var evidence: Evidence?
        if wanted, let (logits, e) = Evidence.of(network, input: input) {
            evidence = e
            logits.withUnsafeBufferPointer { z in probs.withUnsafeMutableBufferPointer { softmax(z.baseAddress!, into: $0.baseAddress!, count: k) } }
        } else {
            input.withUnsafeBufferPointer { x in
                let z = network.forward(x.baseAddress!, batch: 1, training: false, rng: &rng)
                probs.withUnsafeMutableBufferPointer { softmax(z, into: $0.baseAddress!, count: k) }
            }
        }
        return Reading(probabilities: probs, normalized: input, maps: network.featureMaps(), placement: norm.placement,
                       evidence: evidence, dense: network.denseView(), seconds: now() - start, notADigitClass: notADigitClass)
    }
}
