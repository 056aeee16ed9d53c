import Foundation
import XCTest
import ConvNet

/// A model that never went through our engine: seed003 trained in Keras
/// (TensorFlow CPU) with a fixed seed, converted by Tests/Interop/keras_to_safetensors.py
/// to PyTorch's names and layouts with no metadata — what a PyTorch user's export
/// looks like. `digits eval --model seed003` on it must give Keras' own test
/// accuracy and loss.
///
/// Needs $DIGITS_DATA (MNIST) and $DIGITS_INTEROP_PYTHON, a Python with
/// tensorflow-cpu (CI's .ci/run makes a venv with it); skipped, saying so, without.
final class CrossFrameworkTests: XCTestCase {
    func testKerasTrainedSeed003GivesKerasAccuracyAndLoss() throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else {
            throw XCTSkip("no digits binary at \(Binary.path); run `make test` (it builds one)")
        }
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to the data sets to run the Keras interop test") }
        guard let python = ProcessInfo.processInfo.environment["DIGITS_INTEROP_PYTHON"], !python.isEmpty else {
            throw XCTSkip("set DIGITS_INTEROP_PYTHON to a Python with tensorflow-cpu to run the Keras interop test")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return XCTFail("DIGITS_INTEROP_PYTHON=\(python) is not an executable file")
        }
        let mnist = FileManager.default.fileExists(atPath: data + "/mnist") ? data + "/mnist" : data
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scripts = Binary.packageRoot + "/Tests/Interop"
        let npz = dir + "/keras.npz", converted = dir + "/seed003-from-keras.safetensors"

        let trained = try Binary.run([scripts + "/train_keras_seed003.py", "--data", mnist, "--out", npz, "--seed", "1"], executable: python)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let keras = try Binary.json(trained.stdout)
        let kerasAccuracy = try XCTUnwrap(keras["test_accuracy"] as? Double, trained.stdout)
        let kerasLoss = try XCTUnwrap(keras["test_loss"] as? Double, trained.stdout)
        let kerasErrors = try XCTUnwrap(keras["test_errors"] as? Int, trained.stdout)
        XCTAssertEqual(keras["test_count"] as? Int, 10_000)
        // One epoch of seed003 is ~97 % in any framework: far from chance, so a
        // mangled conversion cannot agree with it by luck.
        XCTAssertGreaterThan(kerasAccuracy, 0.95, "Keras' own training went wrong: \(trained.stdout)")

        let convert = try Binary.run([scripts + "/keras_to_safetensors.py", npz, converted], executable: python)
        XCTAssertEqual(convert.status, 0, convert.stderr)
        let file = try Safetensors.read(converted)
        XCTAssertTrue(file.metadata.isEmpty, "a PyTorch export carries no metadata: \(file.metadata)")
        XCTAssertEqual(Set(file.tensors.map(\.name)), ["conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])

        // Without an architecture the error says how to give one.
        let unnamed = try Binary.run(["eval", "--weights", converted, "--json"], env: ["DIGITS_DATA": data])
        XCTAssertNotEqual(unnamed.status, 0)
        XCTAssertTrue(unnamed.stderr.hasPrefix("digits: ") && unnamed.stderr.contains("--model"), unnamed.stderr)
        XCTAssertEqual(unnamed.stderr.split(separator: "\n").count, 1, unnamed.stderr)

        let r = try Binary.run(["eval", "--weights", converted, "--model", "seed003", "--json"], env: ["DIGITS_DATA": data])
        XCTAssertEqual(r.status, 0, r.stderr)
        let ours = try Binary.json(r.stdout)
        XCTAssertEqual(ours["count"] as? Int, 10_000)
        XCTAssertEqual(ours["model"] as? String, "seed003")
        // The same weights on the same inputs (both scale pixels by 1/255 in
        // float32), but Keras' oneDNN convolutions and our im2col + BLAS add in a
        // different order: logits agree to ~1e-6, so only an image whose two best
        // classes are that close could go the other way. Two such images at most;
        // a wrong layout or flatten order costs hundreds or thousands.
        let ourErrors = try XCTUnwrap(ours["errors"] as? Int, r.stdout)
        XCTAssertLessThanOrEqual(abs(ourErrors - kerasErrors), 2, "Keras: \(trained.stdout)\nours: \(r.stdout)")
        XCTAssertEqual(try XCTUnwrap(ours["accuracy"] as? Double), kerasAccuracy, accuracy: 2.0 / 10_000)
        // The mean cross-entropy: float32 round-off in both (Keras averages
        // per-batch means in float32), and our JSON keeps 6 decimals. A wrong
        // layout moves it by whole units.
        XCTAssertEqual(try XCTUnwrap(ours["loss"] as? Double), kerasLoss, accuracy: 1e-5 * max(1, kerasLoss),
                       "Keras: \(trained.stdout)\nours: \(r.stdout)")
    }
}
