import Foundation
import XCTest

/// A small MNIST-format data directory (raw IDX files) that a test writes itself,
/// so the checks of a training run's boundaries need no downloaded data.
enum TinyMNIST {
    /// `train` images of `trainSide`² and `test` images of 28² (noise), labels 0…9 in turn.
    static func write(to dir: String, train: Int = 64, test: Int = 20, trainSide: Int = 28) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var seed: UInt32 = 12345
        func byte() -> UInt8 { seed = seed &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: seed >> 16) }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        for (prefix, n, side) in [("train", train, trainSide), ("t10k", test, 28)] {
            let pixels = (0..<(n * side * side)).map { _ in byte() }
            let images = be(0x0803) + be(UInt32(n)) + be(UInt32(side)) + be(UInt32(side)) + pixels
            let labels = be(0x0801) + be(UInt32(n)) + (0..<n).map { UInt8($0 % 10) }
            try Data(images).write(to: URL(fileURLWithPath: "\(dir)/\(prefix)-images-idx3-ubyte"))
            try Data(labels).write(to: URL(fileURLWithPath: "\(dir)/\(prefix)-labels-idx1-ubyte"))
        }
    }
}

/// A test case with a temporary directory holding a TinyMNIST data set at
/// `data`, skipped when there is no release binary to run.
class TinyMNISTTestCase: XCTestCase {
    var dir: String!
    var data: String { dir + "/mnist" }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else {
            throw XCTSkip("no digits binary at \(Binary.path); run `make test` (it builds one)")
        }
        dir = try temporaryDirectory()
        try TinyMNIST.write(to: data)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }
}

