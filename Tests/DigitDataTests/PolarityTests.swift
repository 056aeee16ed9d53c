import XCTest
@testable import DigitData

/// Which shade is the paper: the picture's majority, whatever touches the border
/// (ink is the minority in any picture of a digit). Issue 12: scans stretched to
/// fill their box put heavy ink on every border, and were read as white on black.
final class PolarityTests: XCTestCase {
    /// A `side`² picture of `paper` with a "0" stretched to fill the box in `ink`:
    /// a rounded square ring `thickness` wide whose sides run along the picture's
    /// edges (ink on most of the border), its corners cut round (paper there).
    func stretchedZero(paper: Float, ink: Float, side: Int = 64, thickness: Int = 12, round: Int = 12) -> GreyImage {
        var px = [Float](repeating: paper, count: side * side)
        func insideRounded(_ x: Int, _ y: Int, inset: Int, radius: Int) -> Bool {
            let lo = inset, hi = side - 1 - inset
            guard x >= lo, x <= hi, y >= lo, y <= hi else { return false }
            let cx = min(max(x, lo + radius), hi - radius), cy = min(max(y, lo + radius), hi - radius)
            return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius
        }
        for y in 0..<side {
            for x in 0..<side where insideRounded(x, y, inset: 0, radius: round) && !insideRounded(x, y, inset: thickness, radius: max(1, round - thickness)) {
                px[y * side + x] = ink
            }
        }
        return GreyImage(width: side, height: side, pixels: px)
    }

    func testHeavyBlackInkOnWhiteTouchingEveryBorderIsInverted() throws {
        let img = stretchedZero(paper: 1, ink: 0)
        XCTAssertEqual(DigitPreparation.borderMedian(img), 0, "most of the border is ink: the border's median says black paper")
        XCTAssertGreaterThan(img.pixels.filter { $0 < 0.5 }.count, img.pixels.count / 2, "most of the picture is ink: the majority says black paper")
        let p = try DigitPreparation.prepare(img)
        XCTAssertTrue(p.inverted, "black ink on white taken for white ink on black")
        let q = try DigitPreparation.prepare(stretchedZero(paper: 0, ink: 1))
        XCTAssertFalse(q.inverted, "white ink on black taken for black ink on white")
        XCTAssertEqual(p.pixels, q.pixels, "both polarities give the same input")
        // The ring is the digit: the middle of the input (the 0's hole) is paper.
        XCTAssertEqual(p.pixels[14 * 28 + 14], 0, "the hole became ink")
        XCTAssertGreaterThan(p.pixels.max() ?? 0, 0.99)
    }

    func testHairlineInkOnLargePaperIsInverted() throws {
        // 160×160 white with a one-pixel "7": the ink is 0.6 % of the picture.
        let side = 160
        var px = [Float](repeating: 0.95, count: side * side)
        for x in 50..<110 { px[30 * side + x] = 0.05 }
        for t in 0..<100 { px[(30 + t) * side + 109 - t * 40 / 100] = 0.05 }
        let p = try DigitPreparation.prepare(GreyImage(width: side, height: side, pixels: px))
        XCTAssertTrue(p.inverted)
        XCTAssertTrue(p.thickened)
        // And white hairlines on black are left as they are.
        XCTAssertFalse(try DigitPreparation.prepare(GreyImage(width: side, height: side, pixels: px.map { 1 - $0 })).inverted)
    }

    /// A photo: grey paper lit unevenly (0.55 at the left to 0.75 at the right),
    /// grain, a few dust specks darker than the ink and a blown-out highlight.
    func testPhotoWithGreyPaperIsInvertedAndThePaperRemoved() throws {
        let side = 100
        var px = [Float](repeating: 0, count: side * side)
        var rng: UInt64 = 12345
        func noise() -> Float { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Float(rng >> 40) / Float(1 << 24) - 0.5 }
        for y in 0..<side { for x in 0..<side { px[y * side + x] = 0.55 + 0.2 * Float(x) / Float(side) + 0.04 * noise() } }
        for y in 20..<80 { for x in 45..<53 { px[y * side + x] = 0.2 + 0.04 * noise() } }   // a "1"
        px[5 * side + 5] = 0; px[90 * side + 93] = 0; px[50 * side + 97] = 1
        let p = try DigitPreparation.prepare(GreyImage(width: side, height: side, pixels: px))
        XCTAssertTrue(p.inverted)
        // The "1" is centred: the left and right quarters of the input are paper, and
        // paper is (nearly) 0 (the specks leave a trace), not a grey frame.
        for y in 0..<28 { for x in Array(0..<7) + Array(21..<28) { XCTAssertLessThan(p.pixels[y * 28 + x], 0.1, "paper at (\(x), \(y))") } }
        XCTAssertGreaterThan(p.pixels.filter { $0 > 0.5 }.count, 20, "the stroke is ink")
        XCTAssertLessThan(p.pixels.filter { $0 > 0.5 }.count, 200, "the grey paper became ink")
    }

    /// When ink crosses much of the border and the corners split two and two, the
    /// ring's majority decides; when the ring is clearly one shade, it is the paper.
    func testTiesAndClearRings() {
        let side = 40
        // A "7" stretched: a top bar across the whole width (ink in the two top
        // corners), a diagonal down to the bottom edge; paper in the bottom corners.
        var seven = [Float](repeating: 1, count: side * side)
        for y in 0..<side { for x in 0..<side where y < 6 || abs(x - (side - 1 - y * (side - 1) / (side - 1) * 2 / 3)) < 4 { seven[y * side + x] = 0 } }
        let img = GreyImage(width: side, height: side, pixels: seven)
        XCTAssertEqual(DigitPreparation.cornerBlocks(img).map { $0[0] }, [0, 0, 1, 1])
        XCTAssertEqual(DigitPreparation.paperShade(img).light, true, "the ring is mostly paper")
        XCTAssertEqual(DigitPreparation.paperShade(GreyImage(width: side, height: side, pixels: seven.map { 1 - $0 })).light, false)
        // A ring clearly of one shade is the paper, whatever the corners.
        var framed = [Float](repeating: 0.9, count: side * side)
        for y in 10..<30 { for x in 18..<22 { framed[y * side + x] = 0.2 } }
        XCTAssertEqual(DigitPreparation.paperShade(GreyImage(width: side, height: side, pixels: framed)).light, true)
        XCTAssertEqual(DigitPreparation.paperShade(GreyImage(width: side, height: side, pixels: framed)).shade, 0.9)
    }
}
