import XCTest
@testable import DigitData

/// The normaliser's crop, scale and shift, and their inverse (the evidence
/// overlay and the receptive fields are carried back onto the canvas with it).
final class PlacementTests: XCTestCase {
    /// A 4×10 bar at (5, 3) of a 28×28 source: scaled by 2 to 8×20.
    func bar() throws -> MNISTNormalizer.Result {
        var src = [Float](repeating: 0, count: 28 * 28)
        for y in 3..<13 { for x in 5..<9 { src[y * 28 + x] = 1 } }
        return try XCTUnwrap(MNISTNormalizer.normalize(src, width: 28, height: 28))
    }

    func testThePlacementSaysWhereTheInkWent() throws {
        let p = try bar().placement
        XCTAssertEqual(p.placed.width, 8); XCTAssertEqual(p.placed.height, 20)
        // Centred by mass: the bar's centre lands at (14, 14).
        XCTAssertEqual(p.placed.x, 10); XCTAssertEqual(p.placed.y, 4)
        let c = p.framePoint(ofSource: 7, 8)
        XCTAssertEqual(c.x, 14, accuracy: 1e-5); XCTAssertEqual(c.y, 14, accuracy: 1e-5)
        let back = p.sourcePoint(ofFrame: c.x, c.y)
        XCTAssertEqual(back.x, 7, accuracy: 1e-5); XCTAssertEqual(back.y, 8, accuracy: 1e-5)
        // The result's pixels are where the placement says.
        let r = try bar()
        XCTAssertGreaterThan(r.pixels[14 * 28 + 14], 0.9)
        XCTAssertEqual(r.pixels[14 * 28 + 9], 0)
    }

    func testAFrameRegionMapsBackToTheSourcePixels() throws {
        let p = try bar().placement
        // Frame pixels 10…17 × 4…23 are the whole bar.
        let whole = try XCTUnwrap(p.sourceRect(ofFrame: (10, 4, 8, 20), sourceWidth: 28, sourceHeight: 28))
        XCTAssertEqual(whole.x, 5); XCTAssertEqual(whole.y, 3); XCTAssertEqual(whole.width, 4); XCTAssertEqual(whole.height, 10)
        // A 3×3 frame region is 1.5 source pixels: at least one, never zero.
        let small = try XCTUnwrap(p.sourceRect(ofFrame: (10, 4, 3, 3), sourceWidth: 28, sourceHeight: 28))
        XCTAssertEqual(small.x, 5); XCTAssertEqual(small.y, 3)
        XCTAssertTrue((1...2).contains(small.width)); XCTAssertTrue((1...2).contains(small.height))
        // The frame around the ink comes from the canvas around the ink box.
        let corner = try XCTUnwrap(p.sourceRect(ofFrame: (0, 0, 2, 2), sourceWidth: 28, sourceHeight: 28))
        XCTAssertEqual(corner.x, 0); XCTAssertEqual(corner.y, 1); XCTAssertEqual(corner.width, 1); XCTAssertEqual(corner.height, 1)
        let all = try XCTUnwrap(p.sourceRect(ofFrame: (0, 0, 28, 28), sourceWidth: 28, sourceHeight: 28))
        XCTAssertEqual(all.x, 0); XCTAssertEqual(all.y, 1); XCTAssertEqual(all.width, 14); XCTAssertEqual(all.height, 14)
        // Ink in the source's corner: the frame's corner came from beyond the source.
        var src = [Float](repeating: 0, count: 28 * 28)
        for y in 0..<10 { for x in 0..<4 { src[y * 28 + x] = 1 } }
        let q = try XCTUnwrap(MNISTNormalizer.normalize(src, width: 28, height: 28)).placement
        XCTAssertNil(q.sourceRect(ofFrame: (0, 0, 2, 2), sourceWidth: 28, sourceHeight: 28))
        let cut = try XCTUnwrap(q.sourceRect(ofFrame: (0, 0, 28, 28), sourceWidth: 28, sourceHeight: 28))
        XCTAssertEqual(cut.x, 0); XCTAssertEqual(cut.y, 0); XCTAssertEqual(cut.width, 9); XCTAssertEqual(cut.height, 12)
    }
}
