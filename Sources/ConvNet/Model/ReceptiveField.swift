/// The part of the input image that one unit of a layer's output depends on.
public struct ReceptiveField: Equatable, Sendable {
    /// The unit's whole field in input pixels, as the kernels, strides, padding
    /// and pools give it: it may reach past the image (padding) on any side.
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }

    /// The field cut to an image of `width`×`height` (what can be shown), or nil
    /// when nothing of it lies on the image.
    public func clipped(toWidth w: Int, height h: Int) -> ReceptiveField? {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(w, x + width), y1 = min(h, y + height)
        guard x1 > x0, y1 > y0 else { return nil }
        return ReceptiveField(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}

extension Network {
    /// The input region seen by unit (x, y) of `layers[layer]`'s output, walked
    /// back layer by layer: a convolution widens a span [a, b] of its outputs to
    /// [a·s − pad, b·s − pad + k − 1] of its inputs, a pooling to [a·p, b·p + p − 1];
    /// element-wise layers keep it. Nil for a flat layer (dense: it sees everything)
    /// or a unit outside the layer's output: the caller's position comes from outside.
    public func receptiveField(layer: Int, x: Int, y: Int) -> ReceptiveField? {
        guard layers.indices.contains(layer) else { return nil }
        let out = layers[layer].outputShape
        guard !out.isFlat || inputShape.isFlat, x >= 0, x < out.w, y >= 0, y < out.h else { return nil }
        var (x0, x1, y0, y1) = (x, x, y, y)
        for l in layers[...layer].reversed() {
            if let c = l as? Conv2D {
                (x0, x1) = (x0 * c.stride - c.padLeft, x1 * c.stride - c.padLeft + c.kernel - 1)
                (y0, y1) = (y0 * c.stride - c.padTop, y1 * c.stride - c.padTop + c.kernel - 1)
            } else if let p = l as? MaxPool2D {
                (x0, x1) = (x0 * p.size, x1 * p.size + p.size - 1)
                (y0, y1) = (y0 * p.size, y1 * p.size + p.size - 1)
            } else if l.outputShape.isFlat {
                return nil   // a flatten or dense layer before it: the whole image
            }
        }
        return ReceptiveField(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1)
    }
}
