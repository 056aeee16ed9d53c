extension Network {
    /// The gradient of Σₖ `logitWeights[k]`·logitₖ with respect to one input
    /// image (`inputShape.count` floats), and the logits themselves: one forward
    /// and one backward pass. With weights +1 for one class and −1 for another it
    /// says how each input value moves the margin between them (what the app's
    /// evidence overlay shows). Uses this network's own buffers, like `forward`:
    /// not to be called while the same network trains on another thread.
    public func inputGradient(of image: [Float], logitWeights: [Float]) -> (logits: [Float], gradient: [Float]) {
        inputGradient(of: image) { _ in logitWeights }
    }

    /// The same, with the weights chosen from the logits (the top class against
    /// the runner-up): one forward pass serves both. After it every layer's
    /// `output` holds this image's activations, as after `forward`.
    public func inputGradient(of image: [Float], weighting: ([Float]) -> [Float]) -> (logits: [Float], gradient: [Float]) {
        precondition(image.count == inputShape.count)
        // Backward writes the parameters' gradients too: allocated here, on this
        // thread, the first time (a network that only predicts has none yet).
        for layer in layers { for p in layer.parameters { p.allocate(gradient: true) } }
        var rng = RNG(seed: 0)
        let k = classes
        return image.withUnsafeBufferPointer { xb in
            let z = forward(xb.baseAddress!, batch: 1, training: false, rng: &rng)
            let logits = Array(UnsafeBufferPointer(start: z, count: k))
            let logitWeights = weighting(logits)
            precondition(logitWeights.count == k)
            logitWeights.withUnsafeBufferPointer { backward(xb.baseAddress!, dLogits: $0.baseAddress!, batch: 1, inputGradient: true) }
            let g = layers[0].gradInput
            return (logits, Array(UnsafeBufferPointer(start: g.pointer, count: inputShape.count)))
        }
    }
}
