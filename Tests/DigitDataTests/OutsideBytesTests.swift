import Foundation
import XCTest
import ConvNet
@testable import DigitData

/// Files made to hurt: FIFOs, decoding bombs, cut and multi-part files, bytes
/// that would drive the terminal. Each is refused (or read) at once, in one line.
final class OutsideBytesTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "digits-bytes-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = dir + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func idx(_ dims: [Int], data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, 8, UInt8(dims.count)]
        for d in dims { out += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return out + data
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let raw = write("tmp-\(UUID().uuidString)", bytes)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-kf", raw]
        try p.run(); p.waitUntilExit()
        return Array(FileManager.default.contents(atPath: raw + ".gz")!)
    }

    // MARK: FIFOs

    /// open(2) of a FIFO waits for a writer; every reader refuses it at once
    /// (a regression fails after 5 s instead of hanging the tests).
    func testAFIFOIsRefusedByEveryReader() throws {
        let path = dir + "/fifo"
        guard mkfifo(path, 0o600) == 0 else { throw XCTSkip("mkfifo failed") }
        final class Box: @unchecked Sendable { var errors: [String] = [] }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { _ = try IDXArray.read(path) } catch { box.errors.append("\(error)") }
            do { _ = try MNIST.load(images: path, labels: path) } catch { box.errors.append("\(error)") }
            do { _ = try ImageIO.read(path) } catch { box.errors.append("\(error)") }
            do { _ = try Optdigits.load(path) } catch { box.errors.append("\(error)") }
            done.signal()
        }
        if done.wait(timeout: .now() + 5) == .timedOut {
            XCTFail("a reader waited for a writer on a FIFO")
            let fd = open(path, O_WRONLY | O_NONBLOCK)   // lets the stuck open return
            if fd >= 0 { close(fd) }
            _ = done.wait(timeout: .now() + 5)
        }
        XCTAssertEqual(box.errors, Array(repeating: "\(path): is not a regular file", count: 4))
    }

    // MARK: JPEG

    /// A greyscale progressive JPEG (SOF2) of `scans` identical DC scans, written
    /// marker by marker: quantisation table of ones, one Huffman code ("0", a
    /// zero difference) and one bit per 8×8 block in each scan. Every pixel is 128.
    /// libjpeg accepts repeating a first DC scan, and decodes the whole picture
    /// once per scan: the shape of a CPU bomb.
    static func progressiveJPEG(width: Int, height: Int, scans: Int) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        func segment(_ marker: UInt8, _ body: [UInt8]) {
            b += [0xFF, marker, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
        }
        segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
        segment(0xC2, [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 1, 1, 0x11, 0])
        segment(0xC4, [0x00, 1] + [UInt8](repeating: 0, count: 15) + [0x00])
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        var data = [UInt8](repeating: 0, count: (blocks + 7) / 8)
        if blocks % 8 != 0 { data[data.count - 1] = UInt8(0xFF >> (blocks % 8)) }   // padded with ones
        for _ in 0..<scans {
            segment(0xDA, [1, 1, 0x00, 0, 0, 0x00])
            b += data
        }
        return b + [0xFF, 0xD9]
    }

    func testAProgressiveJPEGOfTooManyScansIsRefused() throws {
        let fine = try ImageIO.decode(Self.progressiveJPEG(width: 64, height: 48, scans: 100), path: "ok.jpg")
        XCTAssertEqual(fine.width, 64)
        XCTAssertEqual(fine.pixels[0], 128 / 255, accuracy: 1e-6)
        XCTAssertThrowsError(try ImageIO.decode(Self.progressiveJPEG(width: 64, height: 48, scans: 101), path: "bomb.jpg")) {
            XCTAssertEqual("\($0)", "bomb.jpg: is a progressive JPEG of more than 100 scans, over the limit: each scan decodes the whole picture again")
        }
    }

    /// The file in the fuzz corpus is the one this builder makes.
    func testTheCorpusScanBombIsTheBuildersOutput() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fuzz/corpus/image/jpeg-101-scans.jpg")
        XCTAssertEqual([UInt8](try Data(contentsOf: url)), Self.progressiveJPEG(width: 64, height: 64, scans: 101))
    }

    /// libjpeg fills a cut JPEG with grey and calls it a success; a cut 7 was
    /// read as "2, 88.1 %". Now it is refused, as a cut PNG is.
    func testATruncatedJPEGIsRefused() throws {
        var px = [UInt8](repeating: 255, count: 28 * 28)
        for y in 4..<24 { for x in 12..<16 { px[y * 28 + x] = 0 } }
        let jpeg = try ImageIO.encodeJPEG(px, width: 28, height: 28, quality: 90)
        XCTAssertNoThrow(try ImageIO.decode(jpeg, path: "whole.jpg"))
        for keep in [jpeg.count * 2 / 3, jpeg.count - 2] {
            XCTAssertThrowsError(try ImageIO.decode(Array(jpeg.prefix(keep)), path: "cut.jpg")) {
                XCTAssertTrue("\($0)".hasPrefix("cut.jpg: is a damaged JPEG ("), "\($0)")
            }
        }
    }

    // MARK: gzip and IDX

    /// `cat a.gz b.gz` is one gzip file of two members, as gzip(1) reads it.
    func testEveryMemberOfAMultiMemberGzipIsRead() throws {
        let bytes = idx([3, 2, 2], data: Array(0..<12))
        let joined = try gzip(Array(bytes.prefix(10))) + gzip(Array(bytes.dropFirst(10)))
        XCTAssertEqual(try IDXArray.read(write("joined.gz", joined)).bytes, Array(0..<12))
        XCTAssertThrowsError(try IDXArray.read(write("cut.gz", Array(joined.dropLast(5))))) {
            XCTAssertTrue("\($0)".contains("truncated"), "\($0)")
        }
        XCTAssertThrowsError(try IDXArray.read(write("long.gz", try gzip(bytes + [1])))) {
            XCTAssertTrue("\($0)".hasSuffix("need 12 bytes of data, the file has more (trailing bytes)"), "\($0)")
        }
    }

    /// A small gzip of blank images expands a thousandfold: refused once it is
    /// past 100 times its size (and past 16 MB), before it fills memory.
    func testAGzipBombIsRefused() throws {
        let n = 30_000
        let gz = try gzip(idx([n, 28, 28], data: [UInt8](repeating: 0, count: n * 784)))
        XCTAssertLessThan(gz.count, 100_000)
        XCTAssertThrowsError(try IDXArray.read(write("bomb.gz", gz))) {
            XCTAssertEqual("\($0)", "\(dir!)/bomb.gz: decompresses to more than 100 times its \(gz.count) bytes: not a plausible data file")
        }
    }

    /// With a limit only the items asked for are read: a file damaged past them
    /// still gives them (and is refused when read whole).
    func testALimitReadsOnlyTheItemsAskedFor() throws {
        let n = 2_000
        let bytes = idx([n, 28, 28], data: (0..<(n * 784)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        var gz = try gzip(bytes)
        gz[gz.count - 200] ^= 0x55
        let path = write("damaged.gz", gz)
        XCTAssertThrowsError(try IDXArray.read(path))
        let first = try IDXArray.read(path, maxItems: 10)
        XCTAssertEqual(first.dimensions, [n, 28, 28])
        XCTAssertEqual(first.bytes, Array(bytes[16..<(16 + 10 * 784)]))
        let raw = try IDXArray.read(write("raw", bytes), maxItems: 3)
        XCTAssertEqual(raw.bytes, Array(bytes[16..<(16 + 3 * 784)]))
        // A raw file's size is still checked against its header.
        XCTAssertThrowsError(try IDXArray.read(write("short", Array(bytes.dropLast())), maxItems: 3)) {
            XCTAssertTrue("\($0)".contains("(truncated)"), "\($0)")
        }
    }

    /// A fuzzer's finding: no items, but items of 2^55 bytes (the product overflowed).
    func testNoItemsOfAnEnormousSizeAreRefused() {
        XCTAssertThrowsError(try IDXArray.decode(idx([0, 35, 0xFFFF7A, 0xCF9B3A00], data: []), path: "x", maxItems: 3)) {
            XCTAssertTrue("\($0)".contains("claim items of more than"), "\($0)")
        }
    }

    /// A data set stays in bytes until a batch needs floats.
    func testImagesAreKeptAsBytes() throws {
        let images = write("i", idx([3, 2, 2], data: [0, 255, 51, 0, 1, 2, 3, 4, 5, 6, 7, 8]))
        let labels = write("l", idx([3], data: [4, 9, 1]))
        let data = try MNIST.load(images: images, labels: labels, limit: 2)
        guard case .bytes(let b, let scale) = data.pixels else { return XCTFail("not bytes") }
        XCTAssertEqual(b, [0, 255, 51, 0, 1, 2, 3, 4])
        XCTAssertEqual(scale, 1 / 255)
        XCTAssertEqual(data.labels, [4, 9])
        var floats = [Float](repeating: -1, count: 8)
        floats.withUnsafeMutableBufferPointer { data.gather([1, 0], into: $0.baseAddress!) }
        for (got, byte) in zip(floats, [1, 2, 3, 4, 0, 255, 51, 0] as [Float]) { XCTAssertEqual(got, byte / 255, accuracy: 1e-7) }
        guard case .bytes = Splits.pooled(data, data).pixels, case .bytes = data.subset([1]).pixels else { return XCTFail("bytes became floats") }
        let optdigits = try Optdigits.parse(Array(((0..<64).map { String($0 % 17) } + ["3"]).joined(separator: ",").utf8), path: "o")
        guard case .bytes(_, 1) = optdigits.pixels else { return XCTFail("optdigits is not bytes of scale 1") }
        XCTAssertEqual(optdigits.maxValue, 16)
    }

    /// `--limit` on optdigits stops parsing after the rows asked for.
    func testOptdigitsLimitStopsAfterTheRowsAskedFor() throws {
        let row = (0..<64).map { _ in "1" }.joined(separator: ",")
        let text = Array("\(row),3\n\(row),4\nnot a row at all\n".utf8)
        XCTAssertEqual(try Optdigits.parse(text, path: "o", limit: 2).labels, [3, 4])
        XCTAssertThrowsError(try Optdigits.parse(text, path: "o"))
    }

    // MARK: bytes that reach the terminal

    func testOptdigitsQuotesAControlByteEscaped() {
        let row = (0..<64).map { _ in "0" }.joined(separator: ",")
        XCTAssertThrowsError(try Optdigits.parse(Array("\(row),\u{1B}[31m\n".utf8), path: "o.tra")) {
            XCTAssertEqual("\($0)", #"o.tra: line 1: unexpected character '\e'"#)
        }
        XCTAssertThrowsError(try Optdigits.parse(Array(row.utf8) + [0x2C, 0xFF], path: "o.tra")) {
            XCTAssertEqual("\($0)", #"o.tra: line 1: unexpected character '\xff'"#)
        }
    }
}
