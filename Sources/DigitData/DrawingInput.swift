/// What the network is given for a drawing: the one path from the app's canvas to
/// the 28×28 input, used by the app on every stroke and by every reader of pen
/// strokes (`--dataset unipen`), so that what is measured is what the app does.
public enum DrawingInput {
    /// Less ink than this (in pixel units) is a stray click, not a drawing.
    public static let minimumInk: Float = 3

    /// The network's input for `canvas`, or nil when there is (almost) nothing drawn.
    public static func prepare(_ canvas: Canvas) -> MNISTNormalizer.Result? {
        MNISTNormalizer.normalize(canvas.pixels, width: Canvas.size, height: Canvas.size, minimumInk: minimumInk)
    }
}
