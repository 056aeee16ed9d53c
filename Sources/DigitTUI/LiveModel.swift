import ConvNet
import DigitData

/// One convolution layer's activations for the current drawing.
public struct FeatureMap: Sendable {
    public var name: String          // "conv1", …
    public var height: Int, width: Int, channels: Int
    public var values: [Float]       // h × w × c (NHWC, one image)
    public var minimum: Float, maximum: Float

    public func value(channel c: Int, x: Int, y: Int) -> Float { values[(y * width + x) * channels + c] }
}

/// What the network made of the drawing.
public struct Reading: Sendable {
    public var probabilities: [Float]
    public var normalized: [Float]   // 28×28, what was classified
    public var maps: [FeatureMap]
    public var top: Int { probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0 }
    /// Seconds spent normalising and running the network.
    public var seconds: Double
}

/// The network the app shows, with where it came from.
public final class LiveModel {
    public let network: Network
    public let source: String            // a path, or "trained in this session"
    public let metadata: [(String, String)]
    private var rng = RNG(seed: 0)

    public init(network: Network, source: String, metadata: [(String, String)]) throws {
        guard network.inputShape == Shape(28, 28, 1) else {
            throw SpecError("the app draws 28×28 digits; this model takes \(network.inputShape) inputs")
        }
        self.network = network
        self.source = source
        self.metadata = metadata
        // One pass on a blank image now, as the strokes will run it, so that the
        // first stroke does not pay for the layers' one-image buffers and the
        // first touch of the weights (seed004, slowest of 25 updates in three
        // drawings: 3.3–4.6 → 2.5–2.9 ms; once 11 ms).
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
    public var convLayerNames: [String] {
        var n = 0
        return network.layers.compactMap { $0 is Conv2D ? { n += 1; return "conv\(n)" }() : nil }
    }

    /// Normalises the canvas like MNIST and runs the network once, keeping every
    /// convolution's activations (after its ReLU when one follows). Nil for an
    /// empty canvas: there is nothing to read.
    public func read(_ canvas: Canvas) -> Reading? {
        let start = now()
        guard let norm = MNISTNormalizer.normalize(canvas.pixels, width: Canvas.size, height: Canvas.size, minimumInk: 3) else {
            return nil
        }
        let input = norm.pixels
        let k = network.classes
        var probs = [Float](repeating: 0, count: k)
        input.withUnsafeBufferPointer { x in
            let z = network.forward(x.baseAddress!, batch: 1, training: false, rng: &rng)
            probs.withUnsafeMutableBufferPointer { softmax(z, into: $0.baseAddress!, count: k) }
        }
        var maps: [FeatureMap] = []
        var convIndex = 0
        for (i, layer) in network.layers.enumerated() where layer is Conv2D {
            convIndex += 1
            let shown: Layer = (i + 1 < network.layers.count && network.layers[i + 1] is Activation) ? network.layers[i + 1] : layer
            let s = shown.outputShape
            let values = Array(UnsafeBufferPointer(start: shown.output.pointer, count: s.count))
            maps.append(FeatureMap(name: "conv\(convIndex)", height: s.h, width: s.w, channels: s.c, values: values,
                                   minimum: values.min() ?? 0, maximum: values.max() ?? 0))
        }
        return Reading(probabilities: probs, normalized: input, maps: maps, seconds: now() - start)
    }
}
