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
}
