import ConvNet
import Foundation
import XCTest
@testable import DigitTUI

/// The menu's retraining and evaluation hand MNIST to a network the user
/// chose: data that does not fit it ends the job with a message, never with
/// labels written past the model's outputs (heap corruption before).
final class BackgroundJobDataTests: XCTestCase {
    var dir = ""

    /// 20 training and 10 test images, 28×28, labels cycling through 0...9 (raw IDX).
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "digits-jobs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func idx(_ magic: UInt8, _ dims: [Int], _ data: [UInt8]) -> Data {
            var b: [UInt8] = [0, 0, 8, magic]
            for v in dims { b += [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
            return Data(b + data)
        }
        for (name, n) in [("train", 20), ("t10k", 10)] {
            let pixels = (0..<(n * 784)).map { UInt8(($0 * 37) % 256) }
            try idx(3, [n, 28, 28], pixels).write(to: URL(fileURLWithPath: "\(dir)/\(name)-images-idx3-ubyte"))
            try idx(1, [n], (0..<n).map { UInt8($0 % 10) }).write(to: URL(fileURLWithPath: "\(dir)/\(name)-labels-idx1-ubyte"))
        }
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testRetrainingAModelWithFewerOutputsThanDigitsFails() throws {
        var settings = TrainingSettings()
        settings.epochs = 1
        let session = try TrainingSession(request: RetrainRequest(model: "in28x28x1-flatten-dense3", settings: settings), dataOption: dir)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if case .failed(let message) = session.snapshot.phase {
                XCTAssertTrue(message.contains("the mnist training set has label 3 but the model gives 3 class scores"), message)
                return
            }
            XCTAssertNotEqual(session.snapshot.phase, .training, "training started on labels the model cannot give")
            usleep(10_000)
        }
        XCTFail("still \(session.snapshot.phase) after 30 s")
    }

    func testEvaluatingAModelWithFewerOutputsThanDigitsFails() throws {
        let job = EvaluationJob(network: try Network(spec: "in28x28x1-flatten-dense5"), dataOption: dir)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            switch job.phase {
            case .failed(let message):
                XCTAssertTrue(message.contains("the MNIST test set has label 5 but the model gives 5 class scores"), message)
                return
            case .done: return XCTFail("evaluated labels the model cannot give")
            case .running: usleep(10_000)
            }
        }
        XCTFail("still running after 30 s")
    }
}
