import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// `digits predict` on pictures made from MNIST test digits in the forms people
/// actually have: scans, photos, drawings in Paint, transparent PNGs.
final class PredictTests: XCTestCase {
    var dir: String!
    var test: LabeledImages!

    override func setUpWithError() throws {
        guard let data = Binary.dataDirectory, let mnist = try? DataLocator.directory(for: .mnist, option: data) else {
            throw XCTSkip("set DIGITS_DATA to build the picture fixtures from MNIST")
        }
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else { throw XCTSkip("no digits binary") }
        test = try MNIST.load(.test, from: mnist, limit: 60)
        dir = try temporaryDirectory()
    }

    override func tearDown() { if let d = dir { try? FileManager.default.removeItem(atPath: d) } }

    func digit(_ i: Int) -> [Float] { test.image(i) }
    func bytes(_ v: [Float]) -> [UInt8] { v.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) } }

    /// Places a 28×28 digit scaled by `scale` at (x, y) on a w×h paper of shade `paper`.
    func onPaper(_ d: [Float], w: Int, h: Int, x: Int, y: Int, scale: Int, paper: Float, ink: Float) -> [Float] {
        var out = [Float](repeating: paper, count: w * h)
        for yy in 0..<(28 * scale) { for xx in 0..<(28 * scale) {
            let v = d[(yy / scale) * 28 + xx / scale]
            let px = x + xx, py = y + yy
            if px < w && py < h { out[py * w + px] = paper + (ink - paper) * v }
        } }
        return out
    }

    /// Zhang–Suen thinning of the thresholded digit: a one-pixel-wide drawing.
    func thin(_ d: [Float]) -> [Float] {
        var b = d.map { $0 > 0.4 ? 1 : 0 }
        func at(_ x: Int, _ y: Int) -> Int { (x < 0 || y < 0 || x >= 28 || y >= 28) ? 0 : b[y * 28 + x] }
        var changed = true
        while changed {
            changed = false
            for pass in 0..<2 {
                var remove: [Int] = []
                for y in 0..<28 { for x in 0..<28 where b[y * 28 + x] == 1 {
                    let p = [at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1), at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)]
                    let n = p.reduce(0, +)
                    let s = (0..<8).filter { p[$0] == 0 && p[($0 + 1) % 8] == 1 }.count
                    let c1 = pass == 0 ? p[0] * p[2] * p[4] : p[0] * p[2] * p[6]
                    let c2 = pass == 0 ? p[2] * p[4] * p[6] : p[0] * p[4] * p[6]
                    if n >= 2 && n <= 6 && s == 1 && c1 == 0 && c2 == 0 { remove.append(y * 28 + x) }
                } }
                for i in remove { b[i] = 0 }
                if !remove.isEmpty { changed = true }
            }
        }
        return b.map(Float.init)
    }

    func testPicturesOfEveryKind() throws {
        var files: [(String, Int, String)] = []   // path, label, kind
        var rng = RNG(seed: 4)
        for i in 0..<test.count {
            let d = digit(i), label = Int(test.labels[i])
            // Dark ink on white paper, 8-bit grey PNG.
            var p = "\(dir!)/inv-\(i).png"
            try ImageIO.writePNG(bytes(d.map { 1 - $0 }), width: 28, height: 28, channels: 1, to: p); files.append((p, label, "inverted"))
            // Small and off-centre on a large page.
            p = "\(dir!)/pad-\(i).png"
            try ImageIO.writePNG(bytes(onPaper(d, w: 120, h: 90, x: 70 - i % 40, y: 10 + i % 30, scale: 1, paper: 1, ink: 0.1)), width: 120, height: 90, channels: 1, to: p)
            files.append((p, label, "padded"))
            // Scaled up six times, as RGB.
            p = "\(dir!)/big-\(i).png"
            let big = bytes(onPaper(d, w: 200, h: 200, x: 16, y: 16, scale: 6, paper: 0.95, ink: 0.05))
            try ImageIO.writePNG(big.flatMap { [$0, $0, $0] }, width: 200, height: 200, channels: 3, to: p); files.append((p, label, "scaled RGB"))
            // A Paint drawing: one-pixel black strokes on white, 28×28.
            p = "\(dir!)/thin-\(i).png"
            try ImageIO.writePNG(bytes(thin(d).map { 1 - $0 }), width: 28, height: 28, channels: 1, to: p); files.append((p, label, "thin stroke"))
            // A photo: grey paper with noise and uneven light, JPEG quality 40.
            var photo = onPaper(d, w: 160, h: 120, x: 40, y: 20, scale: 3, paper: 0.78, ink: 0.15)
            for k in photo.indices { photo[k] = max(0, min(1, photo[k] + 0.04 * rng.normal() + 0.1 * Float(k % 160) / 160)) }
            p = "\(dir!)/photo-\(i).jpg"
            FileManager.default.createFile(atPath: p, contents: Data(try ImageIO.encodeJPEG(bytes(photo), width: 160, height: 120, quality: 40)))
            files.append((p, label, "JPEG photo"))
            // Black ink on a transparent background (grey + alpha).
            p = "\(dir!)/alpha-\(i).png"
            try ImageIO.writePNG(bytes(d).flatMap { [0, $0] }, width: 28, height: 28, channels: 2, to: p); files.append((p, label, "alpha"))
            // A 16×16 binary scan, PGM (P2, ASCII).
            let small = MNISTNormalizer.resample(d, width: 28, height: 28, toWidth: 16, toHeight: 16).map { $0 > 0.35 ? 0 : 1 }
            p = "\(dir!)/scan-\(i).pgm"
            FileManager.default.createFile(atPath: p, contents: Data(("P2\n# binary scan\n16 16\n1\n" + small.map(String.init).joined(separator: " ") + "\n").utf8))
            files.append((p, label, "16×16 binary PGM"))
            // 16-bit binary PGM, light ink on dark.
            p = "\(dir!)/deep-\(i).pgm"
            var deep = Array("P5 28 28 65535\n".utf8)
            for v in d { let u = UInt16(v * 65535); deep += [UInt8(u >> 8), UInt8(u & 0xFF)] }
            FileManager.default.createFile(atPath: p, contents: Data(deep)); files.append((p, label, "16-bit PGM"))
        }
        // Bad files mixed in: each gets one line, the rest are still read.
        let junk = "\(dir!)/junk.png", empty = "\(dir!)/empty.jpg", blank = "\(dir!)/blank.png", cut = "\(dir!)/cut.png"
        FileManager.default.createFile(atPath: junk, contents: Data("not an image at all".utf8))
        FileManager.default.createFile(atPath: empty, contents: Data())
        try ImageIO.writePNG([UInt8](repeating: 255, count: 400), width: 20, height: 20, channels: 1, to: blank)
        let whole = try Data(contentsOf: URL(fileURLWithPath: files[0].0))
        FileManager.default.createFile(atPath: cut, contents: whole.prefix(whole.count / 2))
        let args = ["predict", "--json"] + files.map(\.0) + [junk, empty, blank, cut, dir + "/missing.png"]
        let r = try Binary.run(args)
        XCTAssertEqual(r.status, 1, "bad files make the exit code 1")
        let errors = r.stderr.split(separator: "\n")
        XCTAssertEqual(errors.count, 5, r.stderr)
        XCTAssertTrue(r.stderr.contains("junk.png: is not a PNG, JPEG or PGM image"), r.stderr)
        XCTAssertTrue(r.stderr.contains("empty.jpg: is empty"), r.stderr)
        XCTAssertTrue(r.stderr.contains("blank.png: no digit found"), r.stderr)
        XCTAssertTrue(r.stderr.contains("cut.png: is a damaged PNG"), r.stderr)
        XCTAssertTrue(r.stderr.contains("missing.png: no such file"), r.stderr)

        var byFile: [String: [String: Any]] = [:]
        for line in r.stdout.split(separator: "\n") {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            byFile[o["file"] as! String] = o
        }
        XCTAssertEqual(byFile.count, files.count)
        var right: [String: (Int, Int)] = [:]
        for (path, label, kind) in files {
            let o = try XCTUnwrap(byFile[path])
            var t = right[kind, default: (0, 0)]
            t.1 += 1
            if o["digit"] as? Int == label { t.0 += 1 }
            right[kind] = t
            // Black ink on transparency is laid on white paper, so it too is inverted.
            if ["inverted", "JPEG photo", "alpha", "thin stroke"].contains(kind) { XCTAssertEqual(o["inverted"] as? Bool, true, path) }
            if kind == "16-bit PGM" { XCTAssertEqual(o["inverted"] as? Bool, false, path) }
        }
        let total = right.values.reduce(0) { $0 + $1.0 }
        let summary = right.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.0)/\($0.value.1)" }.joined(separator: ", ")
        print("predict fixtures: \(summary); overall \(total)/\(files.count)")
        XCTAssertGreaterThanOrEqual(Double(total) / Double(files.count), 0.95, summary)
        for (kind, (ok, n)) in right { XCTAssertGreaterThanOrEqual(Double(ok) / Double(n), 0.85, "\(kind): \(ok)/\(n)") }
    }
}
