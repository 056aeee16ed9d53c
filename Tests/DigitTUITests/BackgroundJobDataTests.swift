import ConvNet
import Foundation
import XCTest
@testable import DigitTUI

/// The menu's retraining and evaluation hand MNIST to a network the user
/// chose: data that does not fit it ends the job with a message, never with
/// labels written past the model's outputs (heap corruption before).
final class BackgroundJobDataTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try AppFixture.mnistDirectory(train: 20, test: 10) }

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
