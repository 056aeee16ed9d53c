import Foundation

/// A small MNIST-format data directory (raw IDX files) that a test writes itself,
/// so the checks of a training run's boundaries need no downloaded data.
enum TinyMNIST {
    /// `train` and `test` images of noise with labels 0…9 in turn.
    static func write(to dir: String, train: Int = 64, test: Int = 20) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var seed: UInt32 = 12345
        func byte() -> UInt8 { seed = seed &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: seed >> 16) }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        for (prefix, n) in [("train", train), ("t10k", test)] {
            let pixels = (0..<(n * 784)).map { _ in byte() }
            let images = be(0x0803) + be(UInt32(n)) + be(28) + be(28) + pixels
            let labels = be(0x0801) + be(UInt32(n)) + (0..<n).map { UInt8($0 % 10) }
            try Data(images).write(to: URL(fileURLWithPath: "\(dir)/\(prefix)-images-idx3-ubyte"))
            try Data(labels).write(to: URL(fileURLWithPath: "\(dir)/\(prefix)-labels-idx1-ubyte"))
        }
    }
}
