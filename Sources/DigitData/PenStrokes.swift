import ConvNet

/// The UNIPEN pen-stroke files (`unipen/digits.jsonl.gz`, `letters.jsonl.gz`):
/// one JSON object a line, `{"label", "site", "writer", "strokes": [[[x, y], …], …]}`,
/// raw or gzip-compressed. Read as a stream, line by line, through the project's
/// bounded JSON parser; every line is checked whole before it is kept, and any
/// bad line refuses the file (`FILE: line N: what is wrong`): nothing half-read.
public enum PenStrokes {
    public static let digitsFile = "digits.jsonl.gz", lettersFile = "letters.jsonl.gz"

    /// Which labels a file may hold.
    public enum Labels: Sendable {
        /// Exactly one of "0"…"9".
        case digits
        /// Exactly one ASCII letter, A–Z or a–z.
        case letters

        func accepts(_ label: String) -> Bool {
            let u = Array(label.utf8)
            guard u.count == 1 else { return false }
            switch self {
            case .digits: return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(u[0])
            case .letters: return (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(u[0])
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(u[0])
            }
        }

        var expected: String { self == .digits ? "a digit \"0\"…\"9\"" : "one ASCII letter" }
    }

    /// The bounds of what is read. The shipped files: at most 11 strokes and 785
    /// points a sample, 8.2 KB a line, coordinates below 12,000, names of 10 characters,
    /// 31,898 samples (letters, 61 MB decompressed). The content limit bounds the
    /// points kept (each takes at least 6 bytes of text, 8 in memory); the sample
    /// limit bounds the images drawn from them (3 KB each: at most 314 MB).
    public enum Limits {
        public static let fileBytes = 256 << 20
        public static let contentBytes = 256 << 20
        public static let lineBytes = 1 << 20
        public static let samples = 100_000
        public static let strokesPerSample = 64
        public static let pointsPerSample = 20_000
        /// Longest pen path, in multiples of the drawing's larger side: drawing it costs
        /// its length (a real digit's or letter's is at most 22; random points are thousands).
        public static let pathToSize: Double = 100
        /// Largest |x| or |y|: tablets count in units of at most a few thousand per side.
        public static let coordinate: Double = 1e6
        /// Longest site or writer name, in UTF-8 bytes.
        public static let nameLength = 64
    }

    /// Reads `path` (raw or gzip). `keep` chooses samples by site and writer (a
    /// split); `limit` stops after that many kept samples, leaving the rest of
    /// the file unread (and unchecked), as the other readers' `--limit` does.
    public static func read(_ path: String, labels: Labels, limit: Int? = nil,
                            keep: (_ site: String, _ writer: String) -> Bool = { _, _ in true }) throws -> [PenSample] {
        let file = try InputFile(path, limit: Limits.fileBytes)
        return try read(from: file, size: file.size, labels: labels, limit: limit, keep: keep)
    }

    /// The same for bytes in memory (tests, fuzzing); `path` names them in messages.
    public static func decode(_ bytes: [UInt8], path: String, labels: Labels, limit: Int? = nil,
                              keep: (_ site: String, _ writer: String) -> Bool = { _, _ in true }) throws -> [PenSample] {
        try read(from: MemoryBytes(bytes, path: path), size: bytes.count, labels: labels, limit: limit, keep: keep)
    }

    static func read(from source: ByteSource, size: Int, labels: Labels, limit: Int?,
                     keep: (String, String) -> Bool) throws -> [PenSample] {
        let path = source.path
        var magic = [UInt8](repeating: 0, count: 2)
        let got = try magic.withUnsafeMutableBytes { try source.fill($0) }
        magic.removeLast(2 - got)
        let content: ByteSource = Gzip.isGzip(magic)
            ? try GzipReader(source, prefix: magic, compressedSize: size, limit: Limits.contentBytes)
            : Prefixed(magic, source)

        let wanted = max(0, limit ?? Int.max)
        var samples: [PenSample] = []
        var lineNumber = 0, linesSeen = 0
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var ended = false
        func finishLine() throws {
            lineNumber += 1
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard !line.isEmpty else { throw FileError(path, "line \(lineNumber): empty line") }
            linesSeen += 1
            guard linesSeen <= Limits.samples else {
                throw FileError(path, "line \(lineNumber): more than \(Limits.samples) samples, over the limit")
            }
            let sample: PenSample
            do { sample = try parseLine(line, labels: labels) } catch let e as LineError {
                throw FileError(path, "line \(lineNumber): \(e.why)")
            }
            line.removeAll(keepingCapacity: true)
            if keep(sample.site, sample.writer) { samples.append(sample) }
        }
        reading: while samples.count < wanted {
            // A gzip error (truncated, corrupt) names the line where the data stopped.
            let n: Int
            do { n = try chunk.withUnsafeMutableBytes { try content.read(into: $0) } } catch let e as FileError {
                throw FileError(path, "line \(lineNumber + 1): \(e.message)")
            }
            if n == 0 { ended = true; break }
            var start = 0
            for i in 0..<n where chunk[i] == UInt8(ascii: "\n") {
                guard line.count + (i - start) <= Limits.lineBytes else {
                    throw FileError(path, "line \(lineNumber + 1): longer than \(Limits.lineBytes) bytes")
                }
                line.append(contentsOf: chunk[start..<i])
                start = i + 1
                try finishLine()
                if samples.count >= wanted { break reading }
            }
            guard line.count + (n - start) <= Limits.lineBytes else {
                throw FileError(path, "line \(lineNumber + 1): longer than \(Limits.lineBytes) bytes")
            }
            line.append(contentsOf: chunk[start..<n])
        }
        // A last line without its newline counts as a line.
        if ended, !line.isEmpty { try finishLine() }
        guard lineNumber > 0 else { throw FileError(path, "no samples (empty file)") }
        return samples
    }

    struct LineError: Error { let why: String }

    /// One line: a JSON object with a valid label, site, writer and strokes.
    static func parseLine(_ bytes: [UInt8], labels: Labels) throws -> PenSample {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch let e as JSON.ParseError { throw LineError(why: e.description) }
        guard let pairs = json.object else { throw LineError(why: "not a JSON object") }
        for key in ["label", "site", "writer", "strokes"] {
            let n = pairs.reduce(0) { $0 + ($1.0 == key ? 1 : 0) }
            guard n == 1 else { throw LineError(why: n == 0 ? "no \"\(key)\"" : "\"\(key)\" given \(n) times") }
        }
        guard let label = json["label"]?.string else { throw LineError(why: "\"label\" is not a string") }
        guard labels.accepts(label) else {
            throw LineError(why: "label \"\(label.escapedForMessage())\" is not \(labels.expected)")
        }
        func name(_ key: String) throws -> String {
            guard let s = json[key]?.string else { throw LineError(why: "\"\(key)\" is not a string") }
            guard !s.isEmpty, s.utf8.count <= Limits.nameLength else {
                throw LineError(why: "\"\(key)\" must have 1 to \(Limits.nameLength) bytes")
            }
            // Names are printed in reports, and "site/writer" names a writer.
            guard !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (key == "site" && $0 == "/") }) else {
                throw LineError(why: "\"\(key)\" holds a control character" + (key == "site" ? " or '/'" : ""))
            }
            return s
        }
        let site = try name("site"), writer = try name("writer")
        guard let strokesJSON = json["strokes"]?.array else { throw LineError(why: "\"strokes\" is not an array") }
        guard !strokesJSON.isEmpty else { throw LineError(why: "no strokes") }
        guard strokesJSON.count <= Limits.strokesPerSample else {
            throw LineError(why: "\(strokesJSON.count) strokes, over the limit of \(Limits.strokesPerSample)")
        }
        var strokes: [[PenSample.Point]] = []
        var points = 0
        for (s, strokeJSON) in strokesJSON.enumerated() {
            guard let pointsJSON = strokeJSON.array else { throw LineError(why: "stroke \(s + 1) is not an array") }
            guard !pointsJSON.isEmpty else { throw LineError(why: "stroke \(s + 1) is empty") }
            points += pointsJSON.count
            guard points <= Limits.pointsPerSample else {
                throw LineError(why: "more than \(Limits.pointsPerSample) points, over the limit")
            }
            var stroke: [PenSample.Point] = []
            stroke.reserveCapacity(pointsJSON.count)
            for (p, pointJSON) in pointsJSON.enumerated() {
                guard let xy = pointJSON.array, xy.count == 2, let x = xy[0].number, let y = xy[1].number else {
                    throw LineError(why: "stroke \(s + 1), point \(p + 1) is not a pair of numbers [x, y]")
                }
                // The JSON parser refuses NaN and infinities; this refuses the absurd.
                guard abs(x) <= Limits.coordinate, abs(y) <= Limits.coordinate else {
                    throw LineError(why: "stroke \(s + 1), point \(p + 1): coordinate out of range (|x|, |y| ≤ \(Int(Limits.coordinate)))")
                }
                stroke.append(PenSample.Point(Float(x), Float(y)))
            }
            strokes.append(stroke)
        }
        // Rasterising costs the path's length on the canvas, where the drawing is
        // scaled to its larger side: a scribble of random points would take minutes.
        var x0 = Float.infinity, y0 = Float.infinity, x1 = -Float.infinity, y1 = -Float.infinity, length = 0.0
        for s in strokes {
            for (i, p) in s.enumerated() {
                x0 = min(x0, p.x); x1 = max(x1, p.x); y0 = min(y0, p.y); y1 = max(y1, p.y)
                if i > 0 { length += Double(((p.x - s[i - 1].x) * (p.x - s[i - 1].x) + (p.y - s[i - 1].y) * (p.y - s[i - 1].y)).squareRoot()) }
            }
        }
        let size = Double(max(x1 - x0, y1 - y0, 1))
        guard length <= Limits.pathToSize * size else {
            throw LineError(why: "the pen's path is \(Int(length / size)) times the drawing's size, over the limit of \(Int(Limits.pathToSize))")
        }
        return PenSample(label: label, site: site, writer: writer, strokes: strokes)
    }

    /// Letters that look like digits (O and 0, I and 1, Z and 2, S and 5, b and 6,
    /// g and q and 9, B and 8, G and 6): a model that reads them as digits is not
    /// wrong, so they are left out when "not a digit" is counted.
    public static let digitLikeLetters: Set<String> = ["O", "o", "I", "l", "Z", "z", "S", "s", "B", "b", "G", "g", "q"]

    /// Whether a letter sample counts when measuring "not a digit".
    public static func countsAsNotADigit(_ label: String) -> Bool { !digitLikeLetters.contains(label) }
}

extension PenSample {
    /// The network input for this sample: drawn on the app's canvas with the
    /// app's brush (`Canvas.drawing`) and prepared as the app prepares a drawing
    /// (`DrawingInput.prepare`). Nil when it leaves (almost) no ink.
    public func input(brushRadius: Float = Canvas().brushRadius, stretch: (x: Float, y: Float) = (1, 1)) -> [Float]? {
        guard let canvas = Canvas.drawing(strokes, brushRadius: brushRadius, stretch: stretch) else { return nil }
        return DrawingInput.prepare(canvas)?.pixels
    }

    /// The class of a digit sample, 0–9 (nil for any other label).
    public var digit: Int? {
        let u = Array(label.utf8)
        guard u.count == 1, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(u[0]) else { return nil }
        return Int(u[0] - UInt8(ascii: "0"))
    }
}
