import ConvNet

public struct RGB: Equatable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    public static let white = RGB(255, 255, 255), black = RGB(0, 0, 0), grey = RGB(150, 150, 150), light = RGB(225, 225, 225)
    public static let blue = RGB(31, 119, 180), orange = RGB(255, 127, 14), green = RGB(44, 160, 44), red = RGB(214, 39, 40)

    /// A perceptual dark-to-bright ramp (inferno-like) for heatmaps, v in [0, 1].
    public static func heat(_ v: Float) -> RGB {
        let stops: [(Float, Float, Float)] = [(0, 0, 4), (40, 11, 84), (101, 21, 110), (159, 42, 99), (212, 72, 66), (245, 125, 21), (250, 193, 39), (252, 255, 164)]
        let t = max(0, min(1, v.isFinite ? v : 0)) * Float(stops.count - 1)
        let i = min(stops.count - 2, Int(t)), f = t - Float(i)
        let a = stops[i], b = stops[i + 1]
        return RGB(UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }
}

/// An RGB picture to draw figures on, saved as PNG through libpng.
public final class Raster {
    public let width: Int, height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB = .white) {
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(0, 0, width, height, background)
    }

    public func set(_ x: Int, _ y: Int, _ c: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = c.r; pixels[i + 1] = c.g; pixels[i + 2] = c.b
    }

    public func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ c: RGB) {
        for yy in max(0, y)..<min(height, y + h) where w > 0 { for xx in max(0, x)..<min(width, x + w) { set(xx, yy, c) } }
    }

    public func rectangle(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ c: RGB) {
        line(x, y, x + w - 1, y, c); line(x, y + h - 1, x + w - 1, y + h - 1, c)
        line(x, y, x, y + h - 1, c); line(x + w - 1, y, x + w - 1, y + h - 1, c)
    }

    /// A line `thickness` pixels wide (Bresenham with a square pen).
    public func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: RGB, thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        let r = thickness / 2
        while true {
            if thickness <= 1 { set(x, y, c) } else { fill(x - r, y - r, thickness, thickness, c) }
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Text in the 5×7 font, each dot `scale`×`scale` pixels; returns the width drawn.
    @discardableResult
    public func text(_ s: String, _ x: Int, _ y: Int, _ c: RGB = .black, scale: Int = 1) -> Int {
        var cx = x
        for ch in s {
            for col in 0..<5 { for row in 0..<7 where Font5x7.dot(ch, col, row) { fill(cx + col * scale, y + row * scale, scale, scale, c) } }
            cx += 6 * scale
        }
        return cx - x
    }

    public static func textWidth(_ s: String, scale: Int = 1) -> Int { s.count * 6 * scale }

    /// Text centred on x.
    public func centred(_ s: String, _ x: Int, _ y: Int, _ c: RGB = .black, scale: Int = 1) {
        text(s, x - Raster.textWidth(s, scale: scale) / 2, y, c, scale: scale)
    }

    /// A grey image (0 = black … 1 = white unless `inkIsBright`) scaled up by `scale`.
    public func image(_ v: [Float], width w: Int, height h: Int, at x: Int, _ y: Int, scale: Int, map: (Float) -> RGB) {
        for yy in 0..<h { for xx in 0..<w { fill(x + xx * scale, y + yy * scale, scale, scale, map(v[yy * w + xx])) } }
    }

    public func writePNG(to path: String) throws {
        try ImageIO.writePNG(pixels, width: width, height: height, channels: 3, to: path)
    }
}
