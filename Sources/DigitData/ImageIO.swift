import ConvNet
import CJPEG
import CPNG
import Glibc

/// A greyscale picture with values in [0, 1] (0 black, 1 white), row-major.
public struct GreyImage: Sendable, Equatable {
    public var width: Int, height: Int
    public var pixels: [Float]
    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(pixels.count == width * height)
        self.width = width; self.height = height; self.pixels = pixels
    }
    public subscript(x: Int, y: Int) -> Float { pixels[y * width + x] }
}

/// Reading PNG (any bit depth, grey, RGB, palette, alpha), JPEG and PGM (P2, P5),
/// and writing PNG (grey or RGB) and JPEG (grey). Every refusal is one line naming the file.
public enum ImageIO {
    public enum Limits {
        public static let fileBytes = 64 << 20
        public static let pixels = 40_000_000
        /// No real picture holds more than ~1,032 pixels per byte (deflate's best
        /// ratio; JPEG is far below it), so a header claiming more is a
        /// decompression bomb: refused before decoding. Small files may still
        /// claim up to a million pixels.
        public static let pixelsPerByte = 2_000
        public static func pixels(forFileOf bytes: Int) -> Int {
            min(pixels, max(1_000_000, bytes.multipliedReportingOverflow(by: pixelsPerByte).partialValue))
        }
    }

    static func tooLarge(_ path: String, _ w: Int, _ h: Int, _ bytes: Int) -> FileError {
        w * h > Limits.pixels
            ? FileError(path, "is \(w)x\(h) pixels, over the limit of \(Limits.pixels)")
            : FileError(path, "claims \(w)x\(h) pixels in only \(bytes) bytes: not a plausible picture")
    }

    public static func read(_ path: String) throws -> GreyImage {
        let bytes = try readFile(path, limit: Limits.fileBytes)
        return try decode(bytes, path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> GreyImage {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try decodePNG(bytes, path: path) }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return try decodeJPEG(bytes, path: path) }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2") {
            return try decodePGM(bytes, path: path)
        }
        throw FileError(path, bytes.isEmpty ? "is empty" : "is not a PNG, JPEG or PGM image")
    }

    // MARK: PNG

    static func decodePNG(_ bytes: [UInt8], path: String) throws -> GreyImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let ok = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard ok != 0 else { throw FileError(path, "is not a valid PNG (\(pngMessage(&image)))") }
        let w = Int(image.width), h = Int(image.height)
        guard w > 0, h > 0, w * h <= Limits.pixels(forFileOf: bytes.count) else { throw tooLarge(path, w, h, bytes.count) }
        // Grey plus alpha, 8 bits: libpng converts palette, RGB and 16-bit for us.
        image.format = UInt32(PNG_FORMAT_GA)
        var ga = [UInt8](repeating: 0, count: w * h * 2)
        let done = ga.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard done != 0 else { throw FileError(path, "is a damaged PNG (\(pngMessage(&image)))") }
        return composite(ga, width: w, height: h)
    }

    static func pngMessage(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String.escapedForMessage(bytes: raw.prefix(while: { $0 != 0 }))
        }
    }

    /// Flattens grey+alpha onto a paper that contrasts with the opaque strokes:
    /// dark ink on transparency goes onto white, light ink onto black.
    static func composite(_ ga: [UInt8], width w: Int, height h: Int) -> GreyImage {
        var sumInk = 0.0, sumAlpha = 0.0
        var transparent = false
        for i in 0..<(w * h) {
            let a = Double(ga[2 * i + 1]) / 255
            sumInk += Double(ga[2 * i]) / 255 * a
            sumAlpha += a
            if ga[2 * i + 1] < 250 { transparent = true }
        }
        let paper: Float = (transparent && sumAlpha > 0 && sumInk / sumAlpha > 0.5) ? 0 : 1
        var px = [Float](repeating: 0, count: w * h)
        for i in 0..<(w * h) {
            let a = Float(ga[2 * i + 1]) / 255
            px[i] = Float(ga[2 * i]) / 255 * a + paper * (1 - a)
        }
        return GreyImage(width: w, height: h, pixels: px)
    }

    // MARK: JPEG

    static func decodeJPEG(_ bytes: [UInt8], path: String) throws -> GreyImage {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var w: Int32 = 0, h: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let r = bytes.withUnsafeBufferPointer {
            digits_jpeg_decode_grey($0.baseAddress, UInt(bytes.count), Int(Limits.pixels(forFileOf: bytes.count)), &out, &w, &h, &message, 256)
        }
        guard r == 0, let p = out else {
            let m = String.escapedForMessage(bytes: message.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) })
            switch r {
            case DIGITS_JPEG_TOO_LARGE:
                if let dims = m.split(separator: " ").dropFirst().first?.split(separator: "x"), dims.count == 2,
                   let jw = Int(dims[0]), let jh = Int(dims[1]) {
                    throw tooLarge(path, jw, jh, bytes.count)
                }
                throw FileError(path, m)
            case DIGITS_JPEG_TOO_MANY_SCANS:
                throw FileError(path, "is a progressive JPEG of \(m), over the limit: each scan decodes the whole picture again")
            case DIGITS_JPEG_DAMAGED:
                throw FileError(path, "is a damaged JPEG (\(m))")
            default:
                throw FileError(path, "is not a valid JPEG (\(m))")
            }
        }
        defer { free(p) }
        let n = Int(w) * Int(h)
        return GreyImage(width: Int(w), height: Int(h), pixels: (0..<n).map { Float(p[$0]) / 255 })
    }

    // MARK: PGM

    static func decodePGM(_ b: [UInt8], path: String) throws -> GreyImage {
        var i = 2
        func bad(_ why: String) -> FileError { FileError(path, "is not a valid PGM (\(why))") }
        func skipSpaceAndComments() {
            while i < b.count {
                if b[i] == UInt8(ascii: "#") { while i < b.count && b[i] != 10 { i += 1 } }
                else if [9, 10, 13, 32].contains(b[i]) { i += 1 }
                else { break }
            }
        }
        func number() throws -> Int {
            skipSpaceAndComments()
            var v = 0, digits = 0
            while i < b.count, (48...57).contains(b[i]) {
                v = v * 10 + Int(b[i] - 48); digits += 1; i += 1
                if v > 1 << 30 { throw bad("number too large") }
            }
            guard digits > 0 else { throw bad("expected a number at byte \(i)") }
            return v
        }
        let binary = b[1] == UInt8(ascii: "5")
        let w = try number(), h = try number(), maxval = try number()
        guard w > 0, h > 0 else { throw bad("zero size") }
        guard w * h <= Limits.pixels(forFileOf: b.count) else { throw tooLarge(path, w, h, b.count) }
        guard (1...65535).contains(maxval) else { throw bad("maximum value \(maxval)") }
        var px = [Float](repeating: 0, count: w * h)
        if binary {
            i += 1   // the single whitespace after maxval
            let bpp = maxval > 255 ? 2 : 1
            guard b.count - i >= w * h * bpp else { throw bad("truncated: \(w * h * bpp) bytes of pixels expected, \(max(0, b.count - i)) present") }
            for k in 0..<(w * h) {
                let v = bpp == 1 ? Int(b[i + k]) : Int(b[i + 2 * k]) << 8 | Int(b[i + 2 * k + 1])
                px[k] = Float(min(v, maxval)) / Float(maxval)
            }
        } else {
            for k in 0..<(w * h) {
                let v = try number()
                px[k] = Float(min(v, maxval)) / Float(maxval)
            }
        }
        return GreyImage(width: w, height: h, pixels: px)
    }

    // MARK: writing

    /// Writes 8-bit pixels with 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA) channels as a PNG, atomically.
    public static func writePNG(_ pixels: [UInt8], width: Int, height: Int, channels: Int, to path: String) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width); image.height = UInt32(height)
        // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA: PNG_FORMAT_FLAG_ALPHA (1) and _COLOR (2) combined.
        image.format = UInt32([0, 1, 2, 3][max(0, min(3, channels - 1))])
        var size: Int = 0
        guard pixels.withUnsafeBytes({ png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil) }) != 0 else {
            throw FileError(path, "cannot encode PNG (\(pngMessage(&image)))")
        }
        var out = [UInt8](repeating: 0, count: size)
        guard out.withUnsafeMutableBytes({ o in pixels.withUnsafeBytes { png_image_write_to_memory(&image, o.baseAddress, &size, 0, $0.baseAddress, 0, nil) } }) != 0 else {
            throw FileError(path, "cannot encode PNG (\(pngMessage(&image)))")
        }
        try AtomicFile.write(Array(out.prefix(size)), to: path)
    }

    public static func encodeJPEG(_ pixels: [UInt8], width: Int, height: Int, quality: Int) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        var message = [CChar](repeating: 0, count: 256)
        let r = pixels.withUnsafeBufferPointer { digits_jpeg_encode_grey($0.baseAddress, Int32(width), Int32(height), Int32(quality), &out, &size, &message, 256) }
        guard r == 0, let p = out else { throw FileError("jpeg", "cannot encode") }
        defer { free(p) }
        return Array(UnsafeBufferPointer(start: p, count: Int(size)))
    }
}
