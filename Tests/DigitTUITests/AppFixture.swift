import Foundation
import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// The app without a terminal, for the tests that drive it by events and read the
/// screen it renders into a Surface.
enum AppFixture {
    /// A small model with random weights (two conv layers, so Tab has somewhere to go).
    static let spec = "in28x28x1-conv4k3-relu-pool2-conv6k3-relu-pool2-flatten-dense10"

    static func app(_ spec: String = spec, width: Int = 120, height: Int = 40, dataOption: String? = nil) throws -> App {
        let net = try Network(spec: spec)
        var rng = RNG(seed: 1)
        net.initialize(rng: &rng)
        let app = App(model: try LiveModel(network: net, source: "test", metadata: [("test_accuracy", "0.5")]), dataOption: dataOption)
        app.handle(.resize(width: width, height: height))
        return app
    }

    /// Runs the app's update and draws the whole screen.
    static func surface(_ app: App, color: Bool = true) -> Surface {
        app.update()
        let s = Surface(width: app.layout.width, height: app.layout.height)
        Renderer(theme: Theme(color: color)).draw(app, into: s)
        return s
    }

    /// A new directory of raw MNIST files: `train` and `test` images of 28×28
    /// (a fixed pattern), labels cycling through 0...9.
    static func mnistDirectory(train: Int, test: Int) throws -> String {
        let dir = NSTemporaryDirectory() + "digits-tui-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func idx(_ magic: UInt8, _ dims: [Int], _ data: [UInt8]) -> Data {
            var b: [UInt8] = [0, 0, 8, magic]
            for v in dims { b += [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
            return Data(b + data)
        }
        for (name, n) in [("train", train), ("t10k", test)] {
            let pixels = (0..<(n * 784)).map { UInt8(($0 * 37) % 256) }
            try idx(3, [n, 28, 28], pixels).write(to: URL(fileURLWithPath: "\(dir)/\(name)-images-idx3-ubyte"))
            try idx(1, [n], (0..<n).map { UInt8($0 % 10) }).write(to: URL(fileURLWithPath: "\(dir)/\(name)-labels-idx1-ubyte"))
        }
        return dir
    }
}
