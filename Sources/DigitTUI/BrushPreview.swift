import DigitData
/// What the brush's size means for the drawing: its footprint shown on the
/// canvas, and a word when it is thicker than the model reads well.
extension App {
    /// The thickest brush (diameter, px) the shipped model reads as well as the
    /// default: UNIPEN pen digits drawn 20 px tall through the canvas read 96.7 %
    /// from 2.8 to 4.0 px, 96.4 % at 4.4, 95.6 % at 5 and 91.6 % at 6 px
    /// (BrushLimitTests; issue 11 saw 85 % at 6 px). Above it the status line says so.
    public static let thickestWellReadBrush: Float = 4

    public var brushTooThick: Bool { canvas.brushRadius * 2 > App.thickestWellReadBrush + 0.001 }

    /// Where the brush's outline is drawn (canvas pixel units): around the
    /// keyboard's cursor while the keyboard draws; after a size change, at the
    /// pointer's last place on the canvas (the centre before any), until the next stroke.
    public var brushPreviewCentre: (x: Float, y: Float)? {
        if keyboardUsed { return (Float(cursor.x) + 0.5, Float(cursor.y) + 0.5) }
        guard showBrushPreview else { return nil }
        return pointer ?? (Float(Canvas.size) / 2, Float(Canvas.size) / 2)
    }
}
