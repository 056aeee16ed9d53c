import ConvNet

/// Which input pixels pushed the answer up and which pushed it toward the
/// runner-up: gradient × input of the margin (logit of the top class − logit of
/// the runner-up), one value per input pixel; > 0 is evidence for the top class.
///
/// Gradient × input rather than occlusion: it takes one forward and one backward
/// pass (the app's per-stroke budget allows that), where occluding each pixel
/// takes one forward pass per pixel; and for a ReLU network it is exact to first
/// order: the values sum to the margin minus the biases' share.
public struct Evidence: Sendable {
    public var top: Int, runnerUp: Int
    /// Input-shaped (28×28 for a digit model).
    public var values: [Float]
    public var width: Int, height: Int

    /// The largest |value|, the scale a picture of it uses (0 when all are 0).
    public var peak: Float { values.reduce(0) { max($0, abs($1)) } }

    /// The weights +1 on `top`, −1 on `runnerUp`: the margin's gradient.
    public static func marginWeights(top: Int, runnerUp: Int, classes: Int) -> [Float] {
        var w = [Float](repeating: 0, count: classes)
        w[top] = 1; w[runnerUp] = -1
        return w
    }

    /// The two largest logits' classes, first the largest (ties: the lower class).
    public static func topTwo(_ logits: [Float]) -> (top: Int, runnerUp: Int) {
        precondition(logits.count >= 2)
        var a = 0, b = 1
        if logits[1] > logits[0] { (a, b) = (1, 0) }
        for i in 2..<logits.count {
            if logits[i] > logits[a] { (a, b) = (i, a) } else if logits[i] > logits[b] { b = i }
        }
        return (a, b)
    }

    /// One forward and one backward pass of `network` on `input`; the logits
    /// come back too (they are what the forward pass gives anyway). A model with
    /// one output has no runner-up: nil.
    public static func of(_ network: Network, input: [Float]) -> (logits: [Float], evidence: Evidence)? {
        guard network.classes >= 2 else { return nil }
        var pair = (top: 0, runnerUp: 1)
        let (logits, g) = network.inputGradient(of: input) { z in
            pair = topTwo(z)
            return marginWeights(top: pair.top, runnerUp: pair.runnerUp, classes: z.count)
        }
        let values = zip(g, input).map { $0 * $1 }
        let s = network.inputShape
        return (logits, Evidence(top: pair.top, runnerUp: pair.runnerUp, values: values, width: s.w, height: s.h))
    }

    /// The evidence carried back onto the picture it was normalised from (a
    /// `width`×`height` source, the app's canvas): each source pixel takes the
    /// value where its centre landed in the frame (bilinear between frame
    /// pixels), so red and blue fall on the strokes that were drawn; source
    /// pixels outside the ink's box get 0.
    public func onSource(_ placement: MNISTNormalizer.Placement, width w: Int, height h: Int) -> [Float] {
        var out = [Float](repeating: 0, count: w * h)
        let b = placement.box
        for y in max(0, b.y)..<min(h, b.y + b.height) {
            for x in max(0, b.x)..<min(w, b.x + b.width) {
                let p = placement.framePoint(ofSource: Float(x) + 0.5, Float(y) + 0.5)
                out[y * w + x] = sample(p.x - 0.5, p.y - 0.5)
            }
        }
        return out
    }

    /// Bilinear between pixel centres; 0 beyond the edges.
    func sample(_ fx: Float, _ fy: Float) -> Float {
        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
        let tx = fx - Float(x0), ty = fy - Float(y0)
        func v(_ x: Int, _ y: Int) -> Float { x >= 0 && x < width && y >= 0 && y < height ? values[y * width + x] : 0 }
        let top = v(x0, y0) * (1 - tx) + v(x0 + 1, y0) * tx
        let bottom = v(x0, y0 + 1) * (1 - tx) + v(x0 + 1, y0 + 1) * tx
        return top * (1 - ty) + bottom * ty
    }
}
