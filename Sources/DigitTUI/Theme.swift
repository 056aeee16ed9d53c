/// Colours and their monochrome stand-ins. With colour, heatmaps use an
/// inferno-like ramp of xterm-256 colours and grey levels use the 24-step grey
/// ramp; without (TERM=vt100, NO_COLOR), both become shade characters.
public struct Theme: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// Dark to bright, roughly perceptually even (black, purples, reds, oranges, yellow, white).
    static let heatRamp: [Int16] = [16, 17, 53, 54, 90, 91, 127, 161, 162, 167, 203, 209, 215, 221, 227, 229, 231]
    /// 26 greys from black to white.
    static let greyRamp: [Int16] = [16] + (232...255).map(Int16.init) + [231]
    static let shades: [Unicode.Scalar] = [" ", "░", "▒", "▓", "█"]

    public func heat(_ v: Float) -> Int16 { Theme.pick(Theme.heatRamp, v) }
    public func grey(_ v: Float) -> Int16 { Theme.pick(Theme.greyRamp, v) }
    public func shade(_ v: Float) -> Unicode.Scalar { Theme.shades[Theme.index(Theme.shades.count, v)] }

    static func index(_ n: Int, _ v: Float) -> Int {
        guard v.isFinite else { return 0 }
        return min(n - 1, max(0, Int((v * Float(n - 1)).rounded())))
    }
    static func pick(_ ramp: [Int16], _ v: Float) -> Int16 { ramp[index(ramp.count, v)] }

    // Text styles.
    public var title: Style { color ? Style(fg: 231, bg: 24, bold: true) : Style(bold: true, reverse: true) }
    public var frame: Style { color ? Style(fg: 244) : .plain }
    public var heading: Style { color ? Style(fg: 117, bold: true) : Style(bold: true) }
    public var dim: Style { color ? Style(fg: 245) : Style(dim: true) }
    public var accent: Style { color ? Style(fg: 214, bold: true) : Style(bold: true) }
    public var good: Style { color ? Style(fg: 114, bold: true) : Style(bold: true) }
    public var warn: Style { color ? Style(fg: 203, bold: true) : Style(bold: true, reverse: true) }
    public var bar: Style { color ? Style(fg: 67) : .plain }
    public var barTop: Style { color ? Style(fg: 214, bold: true) : Style(bold: true) }
    public var key: Style { color ? Style(fg: 16, bg: 250) : Style(reverse: true) }
    public var selected: Style { color ? Style(fg: 16, bg: 117) : Style(reverse: true) }
}
