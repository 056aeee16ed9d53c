/// Where each panel goes for a terminal of `width`×`height`. Pure arithmetic,
/// so that every size can be tested without a terminal.
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 90, minimumHeight = 32

    public var width: Int, height: Int
    public var title: Rect
    /// The canvas box (border included); pixels start one cell inside.
    public var canvas: Rect
    public var info: Rect
    public var prediction: Rect
    public var sees: Rect
    public var lower: Rect        // feature maps, or the training panel
    public var status: Rect

    public var tooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }

    public init(width: Int, height: Int) {
        self.width = width; self.height = height
        title = Rect(x: 0, y: 0, width: width, height: 1)
        status = Rect(x: 0, y: max(0, height - 1), width: width, height: 1)
        canvas = Rect(x: 0, y: 1, width: Canvas.size * 2 + 2, height: Canvas.size + 2)
        info = Rect(x: 0, y: canvas.maxY, width: canvas.width, height: max(0, height - 1 - canvas.maxY))
        let right = canvas.maxX + 1
        let rightWidth = max(0, width - right)
        // The "what the network sees" panel: 28 columns × 14 rows of half-blocks, boxed.
        let seesWidth = Canvas.size + 2, seesHeight = Canvas.size / 2 + 2
        if rightWidth >= 30 + 1 + seesWidth {
            // Wide: prediction and "sees" side by side, feature maps below both.
            prediction = Rect(x: right, y: 1, width: rightWidth - seesWidth - 1, height: seesHeight)
            sees = Rect(x: prediction.maxX + 1, y: 1, width: seesWidth, height: seesHeight)
            lower = Rect(x: right, y: 1 + seesHeight, width: rightWidth, height: max(0, height - 2 - seesHeight))
        } else {
            // Narrow: prediction on top, "sees" under it, feature maps in what is left.
            prediction = Rect(x: right, y: 1, width: rightWidth, height: 13)
            sees = Rect(x: right, y: prediction.maxY, width: min(seesWidth, rightWidth), height: seesHeight)
            lower = Rect(x: right, y: sees.maxY, width: rightWidth, height: max(0, height - 1 - sees.maxY))
        }
    }

    /// The canvas pixel under screen cell (col, row), as fractional pixel
    /// coordinates of the cell's centre, or nil when outside the canvas.
    public func pixel(atColumn col: Int, row: Int) -> (x: Float, y: Float)? {
        let px = col - canvas.x - 1, py = row - canvas.y - 1
        guard px >= 0, px < Canvas.size * 2, py >= 0, py < Canvas.size else { return nil }
        return (Float(px) / 2 + 0.25, Float(py) + 0.5)
    }

    /// Like `pixel`, but clamps positions outside the canvas to its edge (for a drag
    /// that leaves the canvas mid-stroke).
    public func clampedPixel(atColumn col: Int, row: Int) -> (x: Float, y: Float) {
        let px = min(max(col - canvas.x - 1, 0), Canvas.size * 2 - 1)
        let py = min(max(row - canvas.y - 1, 0), Canvas.size - 1)
        return (Float(px) / 2 + 0.25, Float(py) + 0.5)
    }
}
