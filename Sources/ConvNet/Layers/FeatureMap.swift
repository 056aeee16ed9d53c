/// One convolution layer's activations for one image.
public struct FeatureMap: Sendable {
    public var name: String          // "conv1", …
    public var height: Int, width: Int, channels: Int
    public var values: [Float]       // h × w × c (NHWC, one image)
    public var minimum: Float, maximum: Float

    public func value(channel c: Int, x: Int, y: Int) -> Float { values[(y * width + x) * channels + c] }
}

extension Network {
    /// The names of the layers `featureMaps()` shows: conv1, conv2, …
    public var featureMapNames: [String] {
        zip(layerNames, layers).compactMap { name, layer in layer is Conv2D ? name : nil }
    }

    /// Every convolution's activations for the first image of the last forward
    /// pass, taken after the activation that follows it when there is one (what
    /// the app and `digits maps` show).
    public func featureMaps() -> [FeatureMap] {
        zip(layerNames, layers.indices).compactMap { name, i in
            guard layers[i] is Conv2D else { return nil }
            let shown = i + 1 < layers.count && layers[i + 1] is Activation ? layers[i + 1] : layers[i]
            let s = shown.outputShape
            guard shown.output.count >= s.count else { return nil }   // no forward pass yet
            let values = Array(UnsafeBufferPointer(start: shown.output.pointer, count: s.count))
            return FeatureMap(name: name, height: s.h, width: s.w, channels: s.c, values: values,
                              minimum: values.min() ?? 0, maximum: values.max() ?? 0)
        }
    }
}
