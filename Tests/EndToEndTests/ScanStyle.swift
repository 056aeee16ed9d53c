import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// Scan-style pictures, as a common scanned-digit format stores them (issue 12's
/// "scans": about 80 writers, 1,593 digits): an MNIST digit binarised at 50 %,
/// its ink's bounding box stretched to fill 16×16 whatever its aspect ratio,
/// enlarged ×4 nearest neighbour to 64×64, black ink on white. Made in a
/// temporary directory by the test or bench that reads them; never committed.
enum ScanStyle {
    static let box = 16, enlarge = 4
    static var side: Int { box * enlarge }

    /// The 64×64 picture (0 black ink, 255 white paper) of a 28×28 digit in [0, 1],
    /// or nil when no pixel reaches 50 %.
    static func picture(_ digit: [Float]) -> [UInt8]? {
        let n = 28
        let ink = digit.map { $0 >= 0.5 }
        var x0 = n, y0 = n, x1 = -1, y1 = -1
        for y in 0..<n { for x in 0..<n where ink[y * n + x] { x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y) } }
        guard x1 >= 0 else { return nil }
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1
        // Each of the 16×16 cells covers bw/16 × bh/16 source pixels: it is ink when
        // at least half of that area is (area coverage, then binarised again at 50 %).
        var cells = [Bool](repeating: false, count: box * box)
        for cy in 0..<box {
            for cx in 0..<box {
                let sx0 = Double(cx) * Double(bw) / Double(box), sx1 = Double(cx + 1) * Double(bw) / Double(box)
                let sy0 = Double(cy) * Double(bh) / Double(box), sy1 = Double(cy + 1) * Double(bh) / Double(box)
                var covered = 0.0
                for sy in Int(sy0)..<min(bh, Int(sy1.rounded(.up))) {
                    let hy = min(sy1, Double(sy + 1)) - max(sy0, Double(sy))
                    for sx in Int(sx0)..<min(bw, Int(sx1.rounded(.up))) where ink[(y0 + sy) * n + x0 + sx] {
                        covered += hy * (min(sx1, Double(sx + 1)) - max(sx0, Double(sx)))
                    }
                }
                cells[cy * box + cx] = covered >= 0.5 * (sx1 - sx0) * (sy1 - sy0)
            }
        }
        var out = [UInt8](repeating: 255, count: side * side)
        for y in 0..<side { for x in 0..<side where cells[(y / enlarge) * box + x / enlarge] { out[y * side + x] = 0 } }
        return out
    }

    struct Result {
        var total = 0, right = 0
        /// Pictures taken for white ink on black, by digit.
        var notInvertedByDigit = [Int](repeating: 0, count: 10)
        var notInverted: Int { notInvertedByDigit.reduce(0, +) }
        /// Pictures `digits predict` found no digit in, by digit.
        var unreadByDigit = [Int](repeating: 0, count: 10)
        var perDigit = [(right: Int, total: Int)](repeating: (0, 0), count: 10)
        var confusions: [String: Int] = [:]   // "label→read"
        var accuracy: Double { total == 0 ? 0 : Double(right) / Double(total) }
        var summary: String {
            var s = String(format: "scan-style: %d of %d right (%.2f %%); polarity wrong (not inverted) on %d (by digit %@); no digit found in %d\n",
                           right, total, 100 * accuracy, notInverted, notInvertedByDigit.map(String.init).joined(separator: " "), unreadByDigit.reduce(0, +))
            s += "per digit: " + (0..<10).map { perDigit[$0].total == 0 ? "\($0) –" : String(format: "%d %.1f %%", $0, 100 * Double(perDigit[$0].right) / Double(perDigit[$0].total)) }.joined(separator: ", ") + "\n"
            s += "most common misreads: " + confusions.sorted { $0.value > $1.value }.prefix(12).map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            return s
        }
    }

    /// Writes the scan-style pictures of `images[range]` as PNG files into `dir`
    /// and reads them back with `digits predict --json`, `batch` files per run.
    static func measure(_ images: LabeledImages, count: Int, dir: String, batch: Int = 500,
                        file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        var files: [(path: String, label: Int)] = []
        for i in 0..<count {
            guard let px = picture(images.image(i)) else { continue }
            let path = "\(dir)/scan-\(i).png"
            try ImageIO.writePNG(px, width: side, height: side, channels: 1, to: path)
            files.append((path, Int(images.labels[i])))
        }
        var result = Result()
        for start in stride(from: 0, to: files.count, by: batch) {
            let chunk = Array(files[start..<min(files.count, start + batch)])
            let run = try Binary.run(["predict", "--json"] + chunk.map(\.path), timeout: 600)
            var digits: [String: Int] = [:], inverted: [String: Bool] = [:]
            for text in run.stdout.split(separator: "\n") {
                let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], file: file, line: line)
                let path = try XCTUnwrap(o["file"] as? String, file: file, line: line)
                digits[path] = o["digit"] as? Int
                inverted[path] = o["inverted"] as? Bool
            }
            // A picture with no reading (a 1 stretched into a solid block has no
            // contrast left: "no digit found") is a miss, said on stderr, exit 1.
            let unread = chunk.filter { digits[$0.path] == nil }
            XCTAssertEqual(run.status, unread.isEmpty ? 0 : 1, run.stderr, file: file, line: line)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, unread.count, run.stderr, file: file, line: line)
            for item in chunk {
                result.total += 1
                result.perDigit[item.label].total += 1
                guard let digit = digits[item.path] else { result.unreadByDigit[item.label] += 1; continue }
                if digit == item.label { result.right += 1; result.perDigit[item.label].right += 1 } else { result.confusions["\(item.label)→\(digit)", default: 0] += 1 }
                if inverted[item.path] != true { result.notInvertedByDigit[item.label] += 1 }
            }
        }
        return result
    }
}
