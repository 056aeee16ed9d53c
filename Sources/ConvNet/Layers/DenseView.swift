/// What the last layers computed for one image: the values the output layer
/// reads (the dense layer before it, after its activation) and the logits.
public struct DenseView: Sendable {
    /// "fc1 · relu", or the layer that feeds the output when it is not dense ("flatten1").
    public var name: String
    public var hidden: [Float]
    public var logits: [Float]
}

extension Network {
    /// For the first image of the last forward pass; nil before any pass, or
    /// when the output layer is not dense. Dropout is the identity when
    /// predicting, so the values shown are those of the layer before it.
    public func denseView() -> DenseView? {
        guard let last = layers.indices.last, layers[last] is Dense, last > 0 else { return nil }
        let logits = layers[last], k = logits.outputShape.count
        guard logits.output.count >= k else { return nil }   // no forward pass yet
        var feeding = last - 1
        while feeding > 0, layers[feeding] is Dropout { feeding -= 1 }
        let names = layerNames
        // The dense layer and the activation after it, when that is what feeds the output.
        var name = names[feeding]
        if layers[feeding] is Activation, feeding > 0, layers[feeding - 1] is Dense { name = "\(names[feeding - 1]) · \(names[feeding])" }
        let n = layers[feeding].outputShape.count
        guard layers[feeding].output.count >= n else { return nil }
        return DenseView(name: name, hidden: Array(UnsafeBufferPointer(start: layers[feeding].output.pointer, count: n)),
                         logits: Array(UnsafeBufferPointer(start: logits.output.pointer, count: k)))
    }
}
