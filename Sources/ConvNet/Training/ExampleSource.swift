/// Training examples made afresh every time they are used — pen strokes drawn
/// with a random brush, generated "not a digit" shapes — rather than stored
/// images. The trainer mixes them into each epoch after the stored ones (the
/// shuffle interleaves them), rendering each on the thread that augments it,
/// with the example's own generator: a run stays repeatable.
public protocol ExampleSource: Sendable {
    var count: Int { get }
    var shape: Shape { get }
    func label(_ i: Int) -> Int32
    /// Writes example `i` (of `count`) at `image`, `shape.count` floats.
    func render(_ i: Int, into image: UnsafeMutablePointer<Float>, rng: inout RNG)
}
