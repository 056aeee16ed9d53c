import ConvNet
import Glibc

/// Another writer's hand, roughly: a pen path bent by a smooth random field and
/// its later strokes moved a little against the first. Training writers are few
/// (47); a held-out writer's 4 is open where theirs are closed, a 5's bar floats
/// off its body, a loop is rounder or flatter. Bending the pen's path before it
/// is drawn varies exactly that, and leaves the stroke width to the brush (a
/// bent picture would blur it, as the elastic augmentation does).
struct PenWarp {
    /// The largest displacement, as a share of the drawing's longer side.
    let amount: Float

    /// Waves per axis in the displacement field: few and long (0.5–1.5 periods
    /// across the drawing), so the path bends rather than wobbles.
    static let waves = 2

    /// `strokes` bent and moved, drawn from `rng`.
    func apply(_ strokes: [[PenSample.Point]], rng: inout RNG) -> [[PenSample.Point]] {
        var x0 = Float.infinity, y0 = Float.infinity, x1 = -Float.infinity, y1 = -Float.infinity
        for s in strokes { for p in s { x0 = min(x0, p.x); x1 = max(x1, p.x); y0 = min(y0, p.y); y1 = max(y1, p.y) } }
        guard x0 <= x1, y0 <= y1 else { return strokes }
        let size = max(x1 - x0, y1 - y0, 1)

        // One wave: amplitude, direction of travel (cycles per drawing size) and phase.
        struct Wave { var a: Float, fx: Float, fy: Float, phase: Float }
        func waves() -> [Wave] {
            (0..<Self.waves).map { _ in
                let turn = rng.uniform(0, 2 * .pi), cycles = rng.uniform(0.5, 1.5)
                return Wave(a: rng.uniform(0, amount / Float(Self.waves)), fx: cycles * cosf(turn), fy: cycles * sinf(turn),
                            phase: rng.uniform(0, 2 * .pi))
            }
        }
        let alongX = waves(), alongY = waves()
        func shift(_ ws: [Wave], _ u: Float, _ v: Float) -> Float {
            ws.reduce(0) { $0 + $1.a * sinf(2 * .pi * ($1.fx * u + $1.fy * v) + $1.phase) }
        }
        return strokes.enumerated().map { i, stroke in
            // The first stroke stays where it is; a later one (a 4's bar, a 5's
            // flag) moves by up to half the amount.
            let dx = i == 0 ? 0 : rng.uniform(-amount / 2, amount / 2), dy = i == 0 ? 0 : rng.uniform(-amount / 2, amount / 2)
            return stroke.map { p in
                let u = (p.x - x0) / size, v = (p.y - y0) / size
                return PenSample.Point(p.x + size * (shift(alongX, u, v) + dx), p.y + size * (shift(alongY, u, v) + dy))
            }
        }
    }
}
