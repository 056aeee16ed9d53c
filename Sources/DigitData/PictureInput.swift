import ConvNet

/// The one path from a picture file (PNG, JPEG, PGM) to the network's 28×28
/// input: `digits predict` reads pictures through it, and `digits samples add`
/// stores what it gives, so a sample is exactly what predict would have seen.
public enum PictureInput {
    public struct Picture: Sendable {
        public var prepared: DigitPreparation.Prepared
        /// The file's own size.
        public var width: Int, height: Int
    }

    public static func prepare(_ file: String) throws -> Picture {
        let img = try ImageIO.read(file)
        do {
            return Picture(prepared: try DigitPreparation.prepare(img), width: img.width, height: img.height)
        } catch let e as DigitPreparation.NoDigit {
            throw FileError(file, e.description)
        }
    }
}
