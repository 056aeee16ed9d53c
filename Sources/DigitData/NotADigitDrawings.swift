import ConvNet
import Glibc

/// Drawings that are not digits, made up as a person would draw them on the
/// app's canvas (press, drag, release; a brush of any allowed size): scribbles,
/// boxes, #, smileys, crossed circles, triangles, stars, dots, stray lines.
/// They teach a model's "not a digit" output what else people draw; pen-written
/// letters (`PenSample`) teach the rest.
///
/// Left out on purpose: plain circles and ellipses (a 0), a circle with one
/// slash (a slashed zero, Ø), a lone near-vertical line (a 1): those are digits.
public enum NotADigitDrawings {
    public enum Kind: CaseIterable, Sendable {
        case scribble, box, hash, smiley, crossedCircle, triangle, star, dots, strayLine
    }

    /// A drawing of `kind`, the brush and the placement drawn from `rng`.
    public static func canvas(_ kind: Kind, rng: inout RNG) -> Canvas {
        var pen = Pen(canvas: Canvas())
        pen.canvas.brushRadius = rng.uniform(Canvas.brushRange.lowerBound, Canvas.brushRange.upperBound)
        let size = rng.uniform(10, 22)
        let cx = 14 + rng.uniform(-3, 3), cy = 14 + rng.uniform(-3, 3)
        let half = size / 2
        switch kind {
        case .scribble:
            for _ in 0..<(1 + rng.below(2)) {
                var x = cx + rng.uniform(-half, half) / 2, y = cy + rng.uniform(-half, half) / 2
                var heading = rng.uniform(0, 2 * .pi), turn: Float = 0
                var points = [(x, y)]
                for _ in 0..<(12 + rng.below(30)) {
                    turn = 0.6 * turn + rng.uniform(-1.2, 1.2)
                    heading += turn
                    x = min(max(x + cosf(heading) * size / 8, cx - half), cx + half)
                    y = min(max(y + sinf(heading) * size / 8, cy - half), cy + half)
                    points.append((x, y))
                }
                pen.stroke(points)
            }
        case .box:
            let w = half * rng.uniform(0.6, 1), h = half * rng.uniform(0.6, 1), a = rng.uniform(-0.3, 0.3)
            let corners = [(-w, -h), (w, -h), (w, h), (-w, h), (-w, -h)].map { rotate($0, a, cx, cy) }
            pen.stroke(jitter(corners, 0.6, &rng))
        case .hash:
            let a = rng.uniform(-0.25, 0.25), s = half * rng.uniform(0.3, 0.5)
            for line in [[(-half, -s), (half, -s)], [(-half, s), (half, s)], [(-s, -half), (-s, half)], [(s, -half), (s, half)]] {
                pen.stroke(jitter(line.map { rotate($0, a, cx, cy) }, 0.8, &rng))
            }
        case .smiley:
            pen.stroke(ellipse(cx, cy, half, half * rng.uniform(0.85, 1.1), &rng))
            pen.dot(cx - half * 0.4, cy - half * 0.3)
            pen.dot(cx + half * 0.4, cy - half * 0.3)
            let mouth = (0...8).map { i -> (Float, Float) in
                let t = Float.pi * (0.2 + 0.6 * Float(i) / 8)
                return (cx + cosf(t) * half * 0.55, cy + sinf(t) * half * 0.5)
            }
            pen.stroke(mouth)
        case .crossedCircle:
            pen.stroke(ellipse(cx, cy, half, half * rng.uniform(0.8, 1.2), &rng))
            // Both diagonals, ⊗: a circle with one slash is how many write a zero (Ø).
            let d = half * 0.7
            pen.stroke([(cx - d, cy - d), (cx + d, cy + d)])
            pen.stroke([(cx + d, cy - d), (cx - d, cy + d)])
        case .triangle:
            let a = rng.uniform(-0.5, 0.5)
            let corners = [(0, -half), (half * 0.9, half * 0.7), (-half * 0.9, half * 0.7), (0, -half)].map { rotate($0, a, cx, cy) }
            pen.stroke(jitter(corners, 0.8, &rng))
        case .star:
            let rays = 3 + rng.below(2), a = rng.uniform(0, .pi)
            for r in 0..<rays {
                let t = a + Float.pi * Float(r) / Float(rays)
                pen.stroke([(cx - cosf(t) * half, cy - sinf(t) * half), (cx + cosf(t) * half, cy + sinf(t) * half)])
            }
        case .dots:
            for _ in 0..<(1 + rng.below(3)) { pen.dot(cx + rng.uniform(-half, half), cy + rng.uniform(-half, half)) }
        case .strayLine:
            // Within 40° of horizontal: a steeper line is a 1.
            let a = rng.uniform(-0.7, 0.7), l = half * rng.uniform(0.4, 1)
            pen.stroke(jitter([rotate((-l, 0), a, cx, cy), rotate((l, 0), a, cx, cy)], 0.5, &rng))
        }
        return pen.canvas
    }

    /// The first `share` of a pen drawing's path (a digit abandoned, a stroke
    /// cut short), in writing order.
    public static func partial(_ strokes: [[PenSample.Point]], share: Float) -> [[PenSample.Point]] {
        func length(_ s: [PenSample.Point]) -> Float {
            zip(s, s.dropFirst()).reduce(0) { $0 + hypotf($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
        }
        var left = share * strokes.reduce(0) { $0 + length($1) }
        var out: [[PenSample.Point]] = []
        for s in strokes where !s.isEmpty {
            var kept = [s[0]]
            for (a, b) in zip(s, s.dropFirst()) {
                let d = hypotf(b.x - a.x, b.y - a.y)
                if d >= left {
                    let t = d > 0 ? left / d : 0
                    kept.append(PenSample.Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
                    out.append(kept)
                    return out
                }
                left -= d
                kept.append(b)
            }
            out.append(kept)
        }
        return out
    }

    static func rotate(_ p: (Float, Float), _ a: Float, _ cx: Float, _ cy: Float) -> (Float, Float) {
        (cx + p.0 * cosf(a) - p.1 * sinf(a), cy + p.0 * sinf(a) + p.1 * cosf(a))
    }

    /// A hand's wobble: every point moved by up to `by` pixels.
    static func jitter(_ points: [(Float, Float)], _ by: Float, _ rng: inout RNG) -> [(Float, Float)] {
        points.map { ($0.0 + rng.uniform(-by, by), $0.1 + rng.uniform(-by, by)) }
    }

    static func ellipse(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, _ rng: inout RNG) -> [(Float, Float)] {
        let start = rng.uniform(0, 2 * .pi)
        return (0...24).map { i in
            let t = start + 2 * Float.pi * Float(i) / 24
            return (cx + cosf(t) * rx, cy + sinf(t) * ry)
        }
    }

    /// Draws on a canvas as the app's mouse does.
    struct Pen {
        var canvas: Canvas
        mutating func stroke(_ points: [(Float, Float)]) {
            guard let first = points.first else { return }
            canvas.begin(at: first.0, first.1)
            for p in points.dropFirst() { canvas.extend(to: p.0, p.1) }
            canvas.end()
        }
        mutating func dot(_ x: Float, _ y: Float) { stroke([(x, y)]) }
    }
}
