import XCTest
@testable import DigitData

/// MNIST's normalisation, against expectations computed by hand.
final class NormalizerTests: XCTestCase {
    func image(_ w: Int, _ h: Int, _ ink: [(Int, Int)]) -> [Float] {
        var a = [Float](repeating: 0, count: w * h)
        for (x, y) in ink { a[y * w + x] = 1 }
        return a
    }

    func testEmptyAndTinyInkGiveNothing() {
        XCTAssertNil(MNISTNormalizer.normalize([Float](repeating: 0, count: 784), width: 28, height: 28))
        var speck = [Float](repeating: 0, count: 784); speck[100] = 0.5
        XCTAssertNil(MNISTNormalizer.normalize(speck, width: 28, height: 28, minimumInk: 3))
    }

    func testBoundingBoxScalesLongerSideTo20() throws {
        // A 4-wide, 10-tall solid block at (5, 3) in a 40×30 image.
        var ink: [(Int, Int)] = []
        for y in 3..<13 { for x in 5..<9 { ink.append((x, y)) } }
        let r = try XCTUnwrap(MNISTNormalizer.normalize(image(40, 30, ink), width: 40, height: 30))
        XCTAssertEqual(r.box.x, 5); XCTAssertEqual(r.box.y, 3); XCTAssertEqual(r.box.width, 4); XCTAssertEqual(r.box.height, 10)
        // Scaled by 2: 8 wide × 20 tall, all ink, centred: rows 4..<24, columns 10..<18.
        let rows = (0..<28).filter { y in (0..<28).contains { r.pixels[y * 28 + $0] > 0.5 } }
        let cols = (0..<28).filter { x in (0..<28).contains { r.pixels[$0 * 28 + x] > 0.5 } }
        XCTAssertEqual(rows.first, 4); XCTAssertEqual(rows.last, 23)
        XCTAssertEqual(cols.first, 10); XCTAssertEqual(cols.last, 17)
        XCTAssertEqual(r.pixels.reduce(0, +), 160, accuracy: 1e-3)
    }

    func testCentreOfMassLandsAtTheCentre() throws {
        // An L shape: mass is pulled left and down, so the box is not centred but the mass is.
        var ink: [(Int, Int)] = []
        for y in 0..<20 { ink.append((0, y)); ink.append((1, y)) }
        for x in 2..<10 { ink.append((x, 18)); ink.append((x, 19)) }
        let r = try XCTUnwrap(MNISTNormalizer.normalize(image(10, 20, ink), width: 10, height: 20))
        var m: Float = 0, mx: Float = 0, my: Float = 0
        for y in 0..<28 { for x in 0..<28 { let v = r.pixels[y * 28 + x]; m += v; mx += v * (Float(x) + 0.5); my += v * (Float(y) + 0.5) } }
        XCTAssertEqual(mx / m, 14, accuracy: 0.5)
        XCTAssertEqual(my / m, 14, accuracy: 0.5)
    }

    func testAreaResamplingAverages() {
        // 4×2 → 2×1: each output is the mean of a 2×2 block.
        let out = MNISTNormalizer.resample([1, 0, 1, 1, 0, 0, 1, 1], width: 4, height: 2, toWidth: 2, toHeight: 1)
        XCTAssertEqual(out[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(out[1], 1.0, accuracy: 1e-6)
        // 3 → 2 (non-integer factor): weights 1, 0.5 | 0.5, 1 over 1.5 px.
        let odd = MNISTNormalizer.resample([3, 0, 6], width: 3, height: 1, toWidth: 2, toHeight: 1)
        XCTAssertEqual(odd[0], 2, accuracy: 1e-5)
        XCTAssertEqual(odd[1], 4, accuracy: 1e-5)
        // Enlarging interpolates: the ends keep their values, the middle blends.
        let up = MNISTNormalizer.resample([0, 1], width: 2, height: 1, toWidth: 4, toHeight: 1)
        XCTAssertEqual(up, [0, 0.25, 0.75, 1])
    }

    func testFaintInkBelowThresholdDoesNotStretchTheBox() throws {
        var a = image(28, 28, [(10, 10), (11, 10), (10, 11), (11, 11), (10, 12), (11, 12)])
        a[0] = 0.05   // a faint smudge in the corner
        let r = try XCTUnwrap(MNISTNormalizer.normalize(a, width: 28, height: 28))
        XCTAssertEqual(r.box.x, 10); XCTAssertEqual(r.box.width, 2); XCTAssertEqual(r.box.height, 3)
    }
}
