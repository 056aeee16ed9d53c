import ConvNet
import Foundation

/// Where teaching finds a person's samples (the `digits samples` store) and
/// how it reads them: one place for `digits teach` and the app's Teach.
public enum TeachingSamples {
    static let imagesName = "images-idx3-ubyte", labelsName = "labels-idx1-ubyte"

    /// $XDG_DATA_HOME/digits/mine (default ~/.local/share/digits/mine).
    public static var defaultDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return "\(x)/digits/mine" }
        return "\(env["HOME"] ?? ".")/.local/share/digits/mine"
    }

    /// The samples in `directory` (nil: the default) as network inputs, and the
    /// directory read.
    public static func load(directory: String?) throws -> (samples: LabeledImages, directory: String) {
        let dir = directory ?? defaultDirectory
        guard isDirectory(dir) else {
            throw TrainingDataError("\(dir): no samples there (label drawings in the app, or pass --samples DIR)")
        }
        // The IDX reader refuses labels outside 0–9.
        return (try MNIST.load(images: "\(dir)/\(imagesName)", labels: "\(dir)/\(labelsName)"), dir)
    }
}
