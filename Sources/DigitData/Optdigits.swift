import ConvNet

/// UCI optdigits: CSV rows of 64 integers 0..16 (an 8×8 image, row-major) and
/// the class 0..9. Values are kept as they are (0..16), as the seed fed them:
/// one byte each, with a scale of 1.
public enum Optdigits {
    public static let trainFile = "optdigits.tra", testFile = "optdigits.tes"
    public static let maximumBytes = 64 << 20

    public static func hasFiles(in dir: String) -> Bool {
        isRegularFile("\(dir)/\(trainFile)") && isRegularFile("\(dir)/\(testFile)")
    }

    /// With `limit`, only the first `limit` rows are parsed and kept (`--limit`).
    public static func load(_ path: String, limit: Int? = nil) throws -> LabeledImages {
        let bytes = try readFile(path, limit: maximumBytes)
        return try parse(bytes, path: path, limit: limit)
    }

    public static func parse(_ bytes: [UInt8], path: String, limit: Int? = nil) throws -> LabeledImages {
        let maxRows = max(1, limit ?? Int.max)
        var images: [UInt8] = [], labels: [Int32] = []
        var line = 1, field: Int? = nil, row: [Int] = []
        func bad(_ why: String) -> FileError { FileError(path, "line \(line): \(why)") }
        func endField() throws {
            guard let v = field else { throw bad("empty value") }
            row.append(v)
            field = nil
        }
        func endRow() throws {
            guard row.count == 65 else { throw bad("\(row.count) values, 65 expected (64 pixels and the class)") }
            if let i = row[0..<64].firstIndex(where: { $0 > 16 }) { throw bad("pixel value \(row[i]) is not in 0..16") }
            guard row[64] <= 9 else { throw bad("class \(row[64]) is not a digit 0–9") }
            images.append(contentsOf: row[0..<64].map { UInt8($0) })
            labels.append(Int32(row[64]))
            row.removeAll(keepingCapacity: true)
        }
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let v = (field ?? 0) * 10 + Int(b - 48)
                guard v <= 1000 else { throw bad("value too large") }
                field = v
            case UInt8(ascii: ","): try endField()
            case UInt8(ascii: "\n"):
                if field != nil || !row.isEmpty { try endField(); try endRow() }
                line += 1
                if labels.count == maxRows { return LabeledImages(shape: Shape(8, 8, 1), bytes: images, scale: 1, labels: labels) }
            case UInt8(ascii: "\r"), UInt8(ascii: " "): continue
            default: throw bad("unexpected character '\(String.escapedForMessage(bytes: [b]))'")
            }
        }
        if field != nil || !row.isEmpty { try endField(); try endRow() }
        guard !labels.isEmpty else { throw FileError(path, "no rows") }
        return LabeledImages(shape: Shape(8, 8, 1), bytes: images, scale: 1, labels: labels)
    }
}
