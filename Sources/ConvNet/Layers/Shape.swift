/// The shape of one example as it flows through the network: height × width ×
/// channels, stored channels-last (NHWC), so that a convolution is one matrix
/// product over all pixels of the batch. Dense layers see h = w = 1.
public struct Shape: Equatable, Hashable, CustomStringConvertible, Sendable {
    public var h: Int, w: Int, c: Int
    public init(_ h: Int, _ w: Int, _ c: Int) { self.h = h; self.w = w; self.c = c }
    public static func flat(_ n: Int) -> Shape { Shape(1, 1, n) }
    public var count: Int { h * w * c }
    public var isFlat: Bool { h == 1 && w == 1 }
    /// Keras' notation, without the batch dimension: (26, 26, 32) or (128).
    public var description: String { isFlat ? "(\(c))" : "(\(h), \(w), \(c))" }
}
