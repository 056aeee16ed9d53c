import Foundation
import ConvNet

/// One sample as one line of the store's `samples.jsonl`: the pen-stroke line
/// format of the UNIPEN data (`{"label","site","writer","strokes"}`), plus the
/// sample's `id` and its 28×28 `image` (base64 of the IDX bytes), so that one
/// appended line is one whole sample — the store's unit of saving.
public enum SampleLine {
    public enum Limits {
        /// Longest line read: an app drawing is a few kilobytes.
        public static let lineBytes = 512 << 10
        public static let strokes = 1_000
        public static let points = 20_000
        /// Largest coordinate magnitude (canvas pixels are 0–28).
        public static let coordinate: Float = 10_000
        public static let writerCharacters = 200
        public static let idCharacters = 64
    }

    public static func encode(_ s: Sample) -> String {
        let strokes = JSON.array(s.strokes.map { stroke in
            .array(stroke.map { .array([coordinate($0.x), coordinate($0.y)]) })
        })
        return JSON.object([
            ("label", .string(String(s.label))), ("site", .string(Sample.site)), ("writer", .string(s.writer)),
            ("strokes", strokes), ("id", .string(s.id)), ("image", .string(Data(s.image).base64EncodedString())),
        ]).text
    }

    /// Two decimals are far finer than a terminal cell (half a canvas pixel).
    static func coordinate(_ v: Float) -> JSON { .number((Double(v) * 100).rounded() / 100) }

    /// The sample on a line, or an error saying what is wrong with it.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws -> Sample {
        guard bytes.count <= Limits.lineBytes else { throw SampleError("\(bytes.count) bytes, over the limit of \(Limits.lineBytes)") }
        let json: JSON
        do { json = try JSON.parse(Array(bytes)) } catch let e as JSON.ParseError { throw SampleError(e.description) }
        guard json.object != nil else { throw SampleError("not a JSON object") }
        guard let l = json["label"]?.string, l.count == 1, let label = Int(l) else { throw SampleError("no label \"0\" to \"9\"") }
        guard let writer = json["writer"]?.string else { throw SampleError("no writer") }
        guard let id = json["id"]?.string else { throw SampleError("no id") }
        guard let b64 = json["image"]?.string, b64.utf8.count <= 2 * Sample.pixelCount, let image = Data(base64Encoded: b64) else {
            throw SampleError("no base64 image")
        }
        guard let rawStrokes = json["strokes"]?.array else { throw SampleError("no strokes array") }
        guard rawStrokes.count <= Limits.strokes else { throw SampleError("\(rawStrokes.count) strokes, over the limit of \(Limits.strokes)") }
        var strokes: [[PenSample.Point]] = [], points = 0
        for stroke in rawStrokes {
            guard let ps = stroke.array else { throw SampleError("a stroke is not an array of points") }
            points += ps.count
            guard points <= Limits.points else { throw SampleError("more than \(Limits.points) points") }
            strokes.append(try ps.map { p in
                guard let xy = p.array, xy.count == 2, let x = xy[0].number, let y = xy[1].number else {
                    throw SampleError("a point is not [x, y]")
                }
                return PenSample.Point(Float(x), Float(y))
            })
        }
        return try Sample(label: label, image: Array(image), strokes: strokes, writer: writer, id: id)
    }

    static func check(strokes: [[PenSample.Point]]) throws {
        guard strokes.count <= Limits.strokes else { throw SampleError("\(strokes.count) strokes, over the limit of \(Limits.strokes)") }
        let points = strokes.reduce(0) { $0 + $1.count }
        guard points <= Limits.points else { throw SampleError("\(points) points, over the limit of \(Limits.points)") }
        for s in strokes { for p in s {
            guard p.x.isFinite, p.y.isFinite, abs(p.x) <= Limits.coordinate, abs(p.y) <= Limits.coordinate else {
                throw SampleError("a point (\(p.x), \(p.y)) is outside ±\(Int(Limits.coordinate))")
            }
        } }
    }

    static func check(writer: String) throws {
        guard !writer.isEmpty, writer.count <= Limits.writerCharacters else {
            throw SampleError("a writer's name must have 1 to \(Limits.writerCharacters) characters")
        }
    }

    /// Ids are letters, digits, "-" and "_": they are printed and matched, never interpreted.
    static func check(id: String) throws {
        guard !id.isEmpty, id.count <= Limits.idCharacters,
              id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }) else {
            throw SampleError("an id must be 1 to \(Limits.idCharacters) letters, digits, - or _")
        }
    }
}
