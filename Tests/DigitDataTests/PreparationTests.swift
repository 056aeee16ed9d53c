import Foundation
import XCTest
@testable import DigitData

/// Polarity, paper removal and stroke thickening, on pictures computed by hand.
final class PreparationTests: XCTestCase {
    func square(paper: Float, ink: Float, size: Int = 40) -> GreyImage {
        var px = [Float](repeating: paper, count: size * size)
        for y in 10..<30 { for x in 16..<24 { px[y * size + x] = ink } }
        return GreyImage(width: size, height: size, pixels: px)
    }

    func testDarkInkOnLightPaperIsInverted() throws {
        let p = try DigitPreparation.prepare(square(paper: 0.9, ink: 0.1))
        XCTAssertTrue(p.inverted)
        XCTAssertEqual(p.pixels.max(), 1)
        XCTAssertEqual(p.pixels[0], 0, "the paper becomes black")
        let q = try DigitPreparation.prepare(square(paper: 0.05, ink: 0.8))
        XCTAssertFalse(q.inverted)
        XCTAssertEqual(q.pixels, p.pixels, "both polarities give the same input")
    }

    func testGreyPaperLevelIsRemoved() throws {
        // Paper at 0.6 with ink at 0.1: after inversion the paper (0.4) must become 0, not a grey frame.
        let p = try DigitPreparation.prepare(square(paper: 0.6, ink: 0.1))
        XCTAssertEqual(p.pixels.filter { $0 > 0 && $0 < 0.5 }.count, 0)
    }

    func testBlankAndFlatPicturesHaveNoDigit() {
        XCTAssertThrowsError(try DigitPreparation.prepare(GreyImage(width: 10, height: 10, pixels: [Float](repeating: 1, count: 100))))
        XCTAssertThrowsError(try DigitPreparation.prepare(square(paper: 0.5, ink: 0.55)))
    }

    func testBorderMedianIgnoresTheMiddle() {
        XCTAssertEqual(DigitPreparation.borderMedian(square(paper: 0.7, ink: 0)), 0.7)
    }

    func testHairlinesAreThickenedButMNISTStrokesAreNot() throws {
        var thin = [Float](repeating: 1, count: 28 * 28)
        for y in 4..<24 { thin[y * 28 + 14] = 0 }                 // a one-pixel "1"
        for x in 8..<20 { thin[23 * 28 + x] = 0 }
        let p = try DigitPreparation.prepare(GreyImage(width: 28, height: 28, pixels: thin))
        XCTAssertTrue(p.thickened)
        var thick = [Float](repeating: 1, count: 28 * 28)
        for y in 4..<24 { for x in 12..<15 { thick[y * 28 + x] = 0 } }
        XCTAssertFalse(try DigitPreparation.prepare(GreyImage(width: 28, height: 28, pixels: thick)).thickened)
    }

    func testImageReadersRejectDamage() throws {
        XCTAssertThrowsError(try ImageIO.decode([], path: "e")) { XCTAssertTrue("\($0)".contains("is empty")) }
        XCTAssertThrowsError(try ImageIO.decode(Array("P5 3 3 255\n\u{1}".utf8), path: "t.pgm")) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        XCTAssertThrowsError(try ImageIO.decode(Array("P5 100000 100000 255\n".utf8), path: "h.pgm")) { XCTAssertTrue("\($0)".contains("over the limit"), "\($0)") }
        XCTAssertThrowsError(try ImageIO.decode([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 1, 2, 3], path: "j.jpg")) { XCTAssertEqual("\($0)", "j.jpg: is a damaged JPEG (Premature end of JPEG file)") }
        XCTAssertThrowsError(try ImageIO.decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], path: "p.png")) { XCTAssertTrue("\($0)".contains("PNG"), "\($0)") }
        // A fuzzer's finding: 394 bytes of JPEG claiming 4124×7168 pixels (a decompression bomb).
        let bomb = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fuzz/corpus/image/jpeg-bomb-4124x7168.jpg"))
        XCTAssertThrowsError(try ImageIO.decode([UInt8](bomb), path: "bomb.jpg")) {
            XCTAssertTrue("\($0)".contains("claims 4124x7168 pixels in only 394 bytes"), "\($0)")
        }
        let ascii = try ImageIO.decode(Array("P2\n# c\n2 1\n4\n0 4\n".utf8), path: "a.pgm")
        XCTAssertEqual(ascii.pixels, [0, 1])
    }
}
