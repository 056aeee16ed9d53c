import Foundation

/// One labelled drawing of yours: the 28×28 image the network sees (bytes, ink
/// high, as in MNIST's IDX files) and, when it was drawn in the app, the pen
/// strokes that made it (canvas pixel coordinates, y down). A picture added
/// from a file has no strokes.
public struct Sample: Sendable, Equatable {
    public static let side = 28
    public static let pixelCount = side * side
    /// The site every sample of yours is recorded under, in the pen-stroke line format.
    public static let site = "mine"
    public static let defaultWriter = "me"

    /// Stable across saves: the app undoes its own last sample by it, even when
    /// another window added one since.
    public let id: String
    public let label: Int
    public let image: [UInt8]
    public let strokes: [[PenSample.Point]]
    public let writer: String

    /// Checks what makes a sample: a digit label, a 28×28 image, strokes within
    /// the limits of the line format (`SampleLine.Limits`).
    public init(label: Int, image: [UInt8], strokes: [[PenSample.Point]] = [], writer: String = defaultWriter,
                id: String = Sample.newID()) throws {
        guard (0...9).contains(label) else { throw SampleError("label \(label) is not a digit 0–9") }
        guard image.count == Sample.pixelCount else {
            throw SampleError("an image of \(image.count) pixels is not \(Sample.side)×\(Sample.side)")
        }
        try SampleLine.check(strokes: strokes)
        try SampleLine.check(writer: writer)
        try SampleLine.check(id: id)
        self.label = label; self.image = image; self.strokes = strokes; self.writer = writer; self.id = id
    }

    /// A sample from the network's input (28×28 floats in [0, 1], as
    /// `DrawingInput.prepare` and `DigitPreparation.prepare` give it).
    public init(label: Int, input pixels: [Float], strokes: [[PenSample.Point]] = [], writer: String = defaultWriter) throws {
        try self.init(label: label, image: pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) },
                      strokes: strokes, writer: writer)
    }

    /// The image as the network reads it: byte / 255.
    public var input: [Float] { image.map { Float($0) / 255 } }

    /// The strokes as a pen sample of site "mine" (empty strokes for a picture).
    public var pen: PenSample {
        PenSample(label: String(label), site: Sample.site, writer: writer, strokes: strokes)
    }

    /// 16 random hex digits.
    public static func newID() -> String {
        let v = UInt64.random(in: 0...UInt64.max)
        let h = String(v, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }
}

extension Sample: CustomStringConvertible {
    /// Short: a test failure or a log names the sample, not its 784 bytes.
    public var description: String { "sample \(id) (\(label), \(strokes.count) strokes)" }
}

/// A sample that cannot be made or stored (a label outside 0–9, a wrong size).
public struct SampleError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
