extension MNISTNormalizer.Placement {
    /// The frame position (28×28 pixel units, continuous) that source point
    /// (x, y) (source pixel units) was moved to: the crop, the scale and the
    /// shift applied to one point.
    public func framePoint(ofSource x: Float, _ y: Float) -> (x: Float, y: Float) {
        (Float(placed.x) + (x - Float(box.x)) * Float(placed.width) / Float(box.width),
         Float(placed.y) + (y - Float(box.y)) * Float(placed.height) / Float(box.height))
    }

    /// The source point that frame point (x, y) came from: the shift, the scale
    /// and the crop undone.
    public func sourcePoint(ofFrame x: Float, _ y: Float) -> (x: Float, y: Float) {
        (Float(box.x) + (x - Float(placed.x)) * Float(box.width) / Float(placed.width),
         Float(box.y) + (y - Float(placed.y)) * Float(box.height) / Float(placed.height))
    }

    /// The source pixels that frame pixels [x, x+width) × [y, y+height) came
    /// from, cut to a source of `width`×`height`; nil when none of them is in
    /// the source (the frame region lies outside the ink's copy).
    public func sourceRect(ofFrame r: (x: Int, y: Int, width: Int, height: Int), sourceWidth w: Int, sourceHeight h: Int)
        -> (x: Int, y: Int, width: Int, height: Int)? {
        let a = sourcePoint(ofFrame: Float(r.x), Float(r.y)), b = sourcePoint(ofFrame: Float(r.x + r.width), Float(r.y + r.height))
        // A pixel belongs when most of it lies inside (a small frame region still gets one pixel).
        let xa = Int(a.x.rounded()), ya = Int(a.y.rounded())
        let xb = max(Int(b.x.rounded()), xa + 1), yb = max(Int(b.y.rounded()), ya + 1)
        let x0 = max(0, xa), y0 = max(0, ya), x1 = min(w, xb), y1 = min(h, yb)
        guard x1 > x0, y1 > y0 else { return nil }
        return (x0, y0, x1 - x0, y1 - y0)
    }
}
