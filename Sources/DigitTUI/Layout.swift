import DigitData
/// Where each panel goes for a terminal of `width`×`height`. Pure arithmetic,
/// so that every size can be tested without a terminal.
///
/// Two layouts, chosen by size (htop's and btop's way: panels shrink or go, text
/// is never cut):
/// - full, from 90×34: the canvas at two columns per pixel (58×30 with its box),
///   two info rows under it; on the right the prediction, the feature maps, and
///   "network sees" beside the prediction (from 120 columns) or under it (when the
///   feature maps keep `mapsMinimumHeight` rows), else left out;
/// - compact, from 80×24 (the default terminal) up to the full layout's size: the
///   canvas in half blocks, one column and half a row per pixel (30×16 with its
///   box), info under it; on the right the prediction (ten bars), the feature maps
///   and, where they still fit (from 98 columns, or 40 rows), "network sees";
/// - below 80×24, a "too small" message.
public struct Layout: Equatable, Sendable {
    /// Below this the app shows only the "too small" message.
    public static let minimumWidth = 80, minimumHeight = 24
    /// From this size in both directions the full layout is used.
    public static let fullWidth = 90, fullHeight = 34
    /// The feature-map panel is never squeezed below this; "network sees" goes first.
    static let mapsMinimumHeight = 10
    /// The belief strip: a heading row and up to four strokes; at least two.
    static let beliefHeight = 5, beliefMinimumHeight = 3
    /// The info under the full layout's canvas keeps this many rows: the mode and the hints.
    static let infoRows = 4

    public enum Mode: Equatable, Sendable { case full, compact }

    public var width: Int, height: Int
    public var mode: Mode
    public var title: Rect
    /// The canvas box (border included); pixels start one cell inside.
    public var canvas: Rect
    public var info: Rect
    public var prediction: Rect
    /// The "what the network sees" panel, or nil where it does not fit.
    public var sees: Rect?
    public var lower: Rect        // feature maps, or the training panel
    /// The belief strip (class probabilities after each stroke): under the canvas in
    /// the full layout where the info keeps `infoRows` rows (120×40: four rows), else
    /// above the lower panel where that keeps `mapsMinimumHeight` rows; else nil (80×24).
    public var belief: Rect?
    public var status: Rect

    public var tooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }

    /// Screen columns per canvas pixel (full: 2) and canvas pixels per screen row (compact: 2).
    public var columnsPerPixel: Int { mode == .full ? 2 : 1 }
    public var pixelsPerRow: Int { mode == .full ? 1 : 2 }

    public init(width: Int, height: Int) {
        self.width = width; self.height = height
        mode = width >= Layout.fullWidth && height >= Layout.fullHeight ? .full : .compact
        title = Rect(x: 0, y: 0, width: width, height: 1)
        status = Rect(x: 0, y: max(0, height - 1), width: width, height: 1)
        // Both canvases are 28 pixels square on screen: a cell is about twice as
        // tall as it is wide, so two columns per pixel, or half a row per pixel.
        let full = mode == .full
        canvas = full ? Rect(x: 0, y: 1, width: Canvas.size * 2 + 2, height: Canvas.size + 2)
                      : Rect(x: 0, y: 1, width: Canvas.size + 2, height: Canvas.size / 2 + 2)
        info = Rect(x: 0, y: canvas.maxY, width: canvas.width, height: max(0, height - 1 - canvas.maxY))
        let right = canvas.maxX + 1
        let rightWidth = max(0, width - right)
        let bottom = status.y     // panels end above the footer
        // The "what the network sees" panel: 28 columns × 14 rows of half-blocks, boxed.
        let seesWidth = Canvas.size + 2, seesHeight = Canvas.size / 2 + 2
        // The prediction: ten bar rows in a box (full: one blank row under them),
        // as tall as "sees" when beside it, so that both boxes line up.
        let predictionHeight = full ? 13 : 12, predictionMinimumWidth = full ? 30 : 36
        let mapsFit = { (top: Int) in bottom - top >= Layout.mapsMinimumHeight }
        if rightWidth >= predictionMinimumWidth + 1 + seesWidth, mapsFit(1 + seesHeight) {
            // Wide: prediction and "sees" side by side, feature maps below both.
            prediction = Rect(x: right, y: 1, width: rightWidth - seesWidth - 1, height: seesHeight)
            sees = Rect(x: prediction.maxX + 1, y: 1, width: seesWidth, height: seesHeight)
            lower = Rect(x: right, y: 1 + seesHeight, width: rightWidth, height: bottom - 1 - seesHeight)
        } else if rightWidth >= predictionMinimumWidth + 1 + seesWidth, mapsFit(1 + predictionHeight) {
            // Wide but short (compact only): "sees" at the right, the feature maps under the prediction.
            prediction = Rect(x: right, y: 1, width: rightWidth - seesWidth - 1, height: predictionHeight)
            sees = Rect(x: prediction.maxX + 1, y: 1, width: seesWidth, height: seesHeight)
            lower = Rect(x: right, y: prediction.maxY, width: prediction.width, height: bottom - prediction.maxY)
        } else if mapsFit(1 + predictionHeight + seesHeight) {
            // Tall: prediction on top, "sees" under it, feature maps in what is left.
            prediction = Rect(x: right, y: 1, width: rightWidth, height: predictionHeight)
            sees = Rect(x: right, y: prediction.maxY, width: min(seesWidth, rightWidth), height: seesHeight)
            lower = Rect(x: right, y: prediction.maxY + seesHeight, width: rightWidth, height: bottom - prediction.maxY - seesHeight)
        } else {
            // No room for "sees": prediction, then the feature maps.
            prediction = Rect(x: right, y: 1, width: rightWidth, height: predictionHeight)
            sees = nil
            lower = Rect(x: right, y: prediction.maxY, width: rightWidth, height: max(0, bottom - prediction.maxY))
        }
        // The strip takes rows no other panel needs first: the info's spare rows under
        // the full layout's canvas, so that the feature maps keep their size.
        let underCanvas = min(Layout.beliefHeight, info.height - Layout.infoRows)
        let overMaps = min(Layout.beliefHeight, lower.height - Layout.mapsMinimumHeight)
        if full, underCanvas >= Layout.beliefMinimumHeight {
            belief = Rect(x: info.x + 1, y: info.maxY - underCanvas, width: info.width - 2, height: underCanvas)
            info.height -= underCanvas
        } else if overMaps >= Layout.beliefMinimumHeight {
            belief = Rect(x: lower.x + 1, y: lower.y, width: lower.width - 2, height: overMaps)
            lower = Rect(x: lower.x, y: lower.y + overMaps, width: lower.width, height: lower.height - overMaps)
        }
    }

    /// The canvas pixel under screen cell (col, row), as fractional pixel
    /// coordinates of the cell's centre, or nil when outside the canvas. In the
    /// compact layout a cell covers two pixel rows, so its centre is the line
    /// between them: the brush (2.8 px wide by default) inks both.
    public func pixel(atColumn col: Int, row: Int) -> (x: Float, y: Float)? {
        let cx = col - canvas.x - 1, cy = row - canvas.y - 1
        let columns = Canvas.size * columnsPerPixel, rows = Canvas.size / pixelsPerRow
        guard cx >= 0, cx < columns, cy >= 0, cy < rows else { return nil }
        return centre(cx, cy)
    }

    /// Like `pixel`, but clamps positions outside the canvas to its edge (for a drag
    /// that leaves the canvas mid-stroke).
    public func clampedPixel(atColumn col: Int, row: Int) -> (x: Float, y: Float) {
        let columns = Canvas.size * columnsPerPixel, rows = Canvas.size / pixelsPerRow
        let cx = min(max(col - canvas.x - 1, 0), columns - 1)
        let cy = min(max(row - canvas.y - 1, 0), rows - 1)
        return centre(cx, cy)
    }

    /// The centre of canvas cell (cx, cy) (counted from the canvas's first cell,
    /// and beyond its edges) in pixel units.
    func centre(_ cx: Int, _ cy: Int) -> (x: Float, y: Float) {
        (Float(cx) / Float(columnsPerPixel) + 0.5 / Float(columnsPerPixel),
         Float(cy * pixelsPerRow) + Float(pixelsPerRow) / 2)
    }
}
