import ConvNet
import DigitData

/// Exploring the network from the feature-map panel: a click on a channel's
/// tile enlarges it; a click on a unit of the enlarged map lights the region of
/// the canvas (and of "network sees") that this unit sees, beside the filter's
/// kernel. `d` shows the dense layer before the output and the logits instead,
/// `a` colours each channel between its own extremes. Esc closes.
public struct Explorer: Sendable {
    /// The channel of the selected layer shown enlarged; nil: the tiles.
    public var channel: Int?
    /// The unit of the enlarged map whose receptive field is lit.
    public var unit: Unit?
    /// Each channel coloured between its own extremes (else one scale per layer).
    public var perChannelScale = false
    /// The lower panel shows the dense layer before the output and the logits.
    public var denseView = false

    public struct Unit: Equatable, Sendable {
        public var x: Int, y: Int
        public init(x: Int, y: Int) { self.x = x; self.y = y }
    }

    public init() {}

    public var isOpen: Bool { channel != nil || denseView }

    /// Back to the tiles (the colour scale is a setting, it stays).
    public mutating func close() { channel = nil; unit = nil; denseView = false }
}

/// Where the enlarged map and the kernel go in the feature-map panel. Pure
/// arithmetic, one computation for the renderer and for the mouse (as MapGrid).
///
/// A unit takes `unitColumns` columns and `unitHalfRows` half rows: 4×4 or 2×2
/// (whole rows: a click names one unit), else 1×1 in half blocks (a click names
/// the upper unit of its cell), else blocks of `downscale`² units each 1×1.
struct EnlargedMap {
    let area: Rect
    let unitColumns: Int, unitHalfRows: Int, downscale: Int
    let mapWidth: Int, mapHeight: Int
    /// Right of the map: the kernel view.
    let kernelArea: Rect

    static let kernelWidth = 26

    init(height h: Int, width w: Int, panel: Rect) {
        let inner = panel.inset(1)
        mapWidth = w; mapHeight = h
        let kernelWidth = min(EnlargedMap.kernelWidth, max(0, inner.width / 2 - 1))
        let aw: Int = max(1, inner.width - 3 - kernelWidth)
        let halfRows: Int = max(2, (inner.height - 1) * 2)
        func fits(_ z: Int) -> Bool { w * z <= aw && h * z <= halfRows }
        func fitsShrunk(_ s: Int) -> Bool { (w + s - 1) / s <= aw && (h + s - 1) / s <= halfRows }
        if let z = [4, 2].first(where: fits) {
            unitColumns = z; unitHalfRows = z; downscale = 1
        } else {
            unitColumns = 1; unitHalfRows = 1
            downscale = (1...64).first(where: fitsShrunk) ?? 64
        }
        let blocksW = (w + downscale - 1) / downscale, blocksH = (h + downscale - 1) / downscale
        area = Rect(x: inner.x + 1, y: inner.y + 1, width: blocksW * unitColumns, height: (blocksH * unitHalfRows + 1) / 2)
        kernelArea = Rect(x: area.maxX + 2, y: inner.y + 1, width: max(0, inner.maxX - area.maxX - 3), height: max(0, inner.height - 1))
    }

    /// The unit under screen cell (col, row), or nil off the map. The cell is
    /// outside input: checked against the map here.
    func unit(atColumn col: Int, row: Int) -> Explorer.Unit? {
        guard area.contains(col, row) else { return nil }
        let bx = (col - area.x) / unitColumns, by = ((row - area.y) * 2) / unitHalfRows
        let x = bx * downscale, y = by * downscale
        guard x < mapWidth, y < mapHeight else { return nil }
        return Explorer.Unit(x: x, y: y)
    }

    /// The block of units shown at half row `hr` (from the top) and column `c`, nil past the map.
    func block(column c: Int, halfRow hr: Int) -> (x: Int, y: Int)? {
        let x = (c / unitColumns) * downscale, y = (hr / unitHalfRows) * downscale
        return x < mapWidth && y < mapHeight ? (x, y) : nil
    }
}

extension MapGrid {
    /// The slot of the tile (its label or its picture) at screen cell (col, row).
    func slot(atColumn col: Int, row: Int) -> Int? {
        let cellH = (thumbPixelHeight + 1) / 2 + 1
        guard area.contains(col, row), col > area.x else { return nil }
        let c = (col - area.x - 1) / (thumbWidth + 1), r = (row - area.y) / cellH
        guard c < columns, r < rows, (col - area.x - 1) % (thumbWidth + 1) < thumbWidth else { return nil }
        return r * columns + c
    }
}

extension App {
    /// The layer index (in `network.layers`) of the selected feature map.
    var selectedConvLayer: Int? {
        let convs = model.network.layers.indices.filter { model.network.layers[$0] is Conv2D }
        return convs.indices.contains(selectedLayer) ? convs[selectedLayer] : nil
    }

    /// The shape of the selected layer's maps, known before anything is drawn.
    var selectedMapShape: Shape? {
        let shapes = model.convOutputShapes
        return shapes.indices.contains(selectedLayer) ? shapes[selectedLayer] : nil
    }

    /// A left press in the feature-map panel: a tile enlarges its channel, a unit
    /// of the enlarged map lights its field (the same unit again puts it out),
    /// anywhere else in the panel goes back to the tiles. True when the press was
    /// the explorer's (the panel showed maps).
    func explorerPress(_ col: Int, _ row: Int) -> Bool {
        let panel = layout.lower
        guard panel.contains(col, row), lowerView == .maps, trainedAccuracy == nil else { return false }
        if explorer.denseView { return true }
        guard let shape = selectedMapShape else { return true }
        if let ch = explorer.channel {
            let geometry = EnlargedMap(height: shape.h, width: shape.w, panel: panel)
            guard ch < shape.c, let u = geometry.unit(atColumn: col, row: row) else { explorer.close(); return true }
            explorer.unit = explorer.unit == u ? nil : u
            return true
        }
        let grid = MapGrid(height: shape.h, width: shape.w, channels: shape.c, panel: panel)
        let page = min(channelPage, grid.pages(shape.c) - 1)
        if let slot = grid.slot(atColumn: col, row: row), page * grid.perPage + slot < shape.c {
            explorer.channel = page * grid.perPage + slot
            explorer.unit = nil
        }
        return true
    }

    /// The canvas pixels and the "network sees" pixels that the lit unit sees.
    public var litField: (canvas: (x: Int, y: Int, width: Int, height: Int)?, input: ReceptiveField)? {
        guard let u = explorer.unit, explorer.channel != nil, let layer = selectedConvLayer, let r = reading,
              let field = model.network.receptiveField(layer: layer, x: u.x, y: u.y)?.clipped(toWidth: 28, height: 28) else { return nil }
        let canvas = r.placement.sourceRect(ofFrame: (field.x, field.y, field.width, field.height), sourceWidth: Canvas.size, sourceHeight: Canvas.size)
        return (canvas, field)
    }
}
