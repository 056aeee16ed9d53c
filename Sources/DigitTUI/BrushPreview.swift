import DigitData
/// What the brush's size means for the drawing: its footprint shown on the
/// canvas, and a word when it is thicker than the model reads well.
extension App {
    /// The thickest brush (diameter, px) up to which the shipped model reads every
    /// brush within a point of the default, as BrushLimitTests measures it (and
    /// says what to set when the model changes): held-out writers' pen digits
    /// drawn 20 px tall through the canvas, shipped model of issue 12 (trained with
    /// pen digits at every brush): 98.5 % at 2.8 px, 98.2–98.6 % from 3.2 to 5.2,
    /// 97.9 % at 5.6, 97.0 % at 6 px. Above it the status line says so; a model
    /// that reads every brush alike sets it to 6 (the top of the range), and the
    /// warning never shows.
    public static let thickestWellReadBrush: Float = 5.6

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
