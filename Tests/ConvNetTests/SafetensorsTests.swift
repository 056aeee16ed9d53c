import XCTest
@testable import ConvNet

final class SafetensorsTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "digits-st-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func makeNet(_ spec: String = "seed003", seed: UInt64 = 1) throws -> Network {
        let net = try Network(spec: spec)
        var rng = RNG(seed: seed)
        net.initialize(rng: &rng)
        return net
    }

    func testSaveLoadGivesIdenticalPredictions() throws {
        let net = try makeNet()
        let path = dir + "/w.safetensors"
        try WeightsFile.save(net, metadata: [("dataset", "mnist"), ("test_accuracy", "0.5")], to: path)
        let (loaded, file) = try WeightsFile.load(path)
        XCTAssertEqual(loaded.spec, net.spec)
        XCTAssertEqual(file.meta("dataset"), "mnist")
        XCTAssertEqual(file.meta("name"), "seed003")
        var rng = RNG(seed: 4)
        let x = (0..<(5 * 784)).map { _ in rng.uniform() }
        XCTAssertEqual(net.predict(x, count: 5), loaded.predict(x, count: 5))
    }

    /// Saving streams each tensor from the engine's buffers; the file must be
    /// byte for byte the one the in-memory encoder makes.
    func testStreamedSaveEqualsTheEncoder() throws {
        let net = try Network(spec: "in8x8x2-conv3k3-relu-pool2-flatten-dense4")
        var rng = RNG(seed: 9)
        net.initialize(rng: &rng)
        let path = dir + "/w.safetensors"
        try WeightsFile.save(net, metadata: [("k", "v")], to: path)
        let streamed = try readFile(path, limit: 1 << 20)
        XCTAssertEqual(streamed, WeightsFile.encode(net, metadata: [("k", "v")]).encode())
    }

    func testHeaderIsStandardSafetensors() throws {
        let st = Safetensors(tensors: [("a", .init(shape: [2], values: [1, -2])), ("b", .init(shape: [1, 1], values: [0.5]))],
                             metadata: [("k", "v")])
        let bytes = st.encode()
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual(n % 8, 0, "data must start 8-byte aligned")
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        XCTAssertTrue(header.contains(#""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#), header)
        XCTAssertTrue(header.contains(#""__metadata__":{"k":"v"}"#))
        XCTAssertEqual(bytes.count, 8 + n + 12)
        XCTAssertEqual(Array(bytes[(8 + n)...][(8 + n)..<(8 + n + 4)]), [0, 0, 0x80, 0x3F])  // 1.0f little-endian
        let back = try Safetensors.decode(bytes)
        XCTAssertEqual(back["a"]?.values, [1, -2])
        XCTAssertEqual(back["b"]?.shape, [1, 1])
    }

    /// Every way a file can be wrong gets a clear error, never a crash.
    func testRejectsCorruptFiles() throws {
        let good = Safetensors(tensors: [("t", .init(shape: [3], values: [1, 2, 3]))]).encode()
        func header(_ json: String, data: Int = 12) -> [UInt8] {
            var j = Array(json.utf8)
            while j.count % 8 != 0 { j.append(0x20) }
            var out = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 { out[i] = UInt8((j.count >> (8 * i)) & 0xFF) }
            return out + j + [UInt8](repeating: 0, count: data)
        }
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "shorter than"),
            ("truncated length", [1, 2, 3], "shorter than"),
            ("truncated data", Array(good.dropLast(2)), "outside"),
            ("oversized claim", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] + Array(good.dropFirst(8)), "over the limit"),
            ("length past end", [200, 0, 0, 0, 0, 0, 0, 0] + Array(good.dropFirst(8)), "does not fit"),
            ("not json", header("{{{{"), "invalid JSON"),
            ("not object", header("[1,2]"), "not a JSON object"),
            ("wrong dtype", header(#"{"t":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: 8), "only F32"),
            ("shape/bytes mismatch", header(#"{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}}"#), "expected"),
            ("huge shape", header(#"{"t":{"dtype":"F32","shape":[1000000,1000000,1000000],"data_offsets":[0,12]}}"#), "too many elements"),
            ("negative dim", header(#"{"t":{"dtype":"F32","shape":[-3],"data_offsets":[0,12]}}"#), "bad dimension"),
            ("overlap", header(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#), "overlaps"),
            ("gap at end", header(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#), "belong to none"),
            ("duplicate", header(#"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"t":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#), "twice"),
            ("deep nesting", header(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)), "nested too deeply"),
            ("metadata not strings", header(#"{"__metadata__":{"a":1}}"#, data: 0), "not a string"),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertThrowsError(try Safetensors.decode(bytes), name) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(name): '\(error)' does not mention '\(expected)'")
            }
        }
    }

    func testWeightsMustMatchTheArchitecture() throws {
        let net = try makeNet()
        var file = WeightsFile.encode(net, metadata: [])
        // Wrong shape.
        var wrong = file
        wrong.tensors[0].tensor = .init(shape: [32, 1, 3, 2], values: [Float](repeating: 0, count: 192))
        XCTAssertThrowsError(try WeightsFile.network(from: wrong)) { XCTAssertTrue("\($0)".contains("has shape")) }
        // Missing tensor.
        var missing = file
        missing.tensors.removeLast()
        XCTAssertThrowsError(try WeightsFile.network(from: missing)) { XCTAssertTrue("\($0)".contains("missing")) }
        // NaN.
        file.tensors[1].tensor.values[3] = .nan
        XCTAssertThrowsError(try WeightsFile.network(from: file)) { XCTAssertTrue("\($0)".contains("non-finite")) }
        // No spec: the caller must name the model.
        var anonymous = WeightsFile.encode(net, metadata: [])
        anonymous.metadata.removeAll { $0.0 == "spec" }
        XCTAssertThrowsError(try WeightsFile.network(from: anonymous)) { XCTAssertTrue("\($0)".contains("--model")) }
        XCTAssertNoThrow(try WeightsFile.network(from: anonymous, model: "seed003"))
    }

    func testMissingAndDirectoryPathsAreClear() {
        XCTAssertThrowsError(try WeightsFile.load(dir + "/nope.safetensors")) { XCTAssertTrue("\($0)".hasSuffix("no such file")) }
        XCTAssertThrowsError(try WeightsFile.load(dir)) { XCTAssertTrue("\($0)".contains("not a regular file")) }
    }

    /// Stopping after epoch 1 and resuming from the checkpoint ends with exactly
    /// the weights of an uninterrupted run, with one thread and with two (the
    /// data-parallel shards keep every sum in a fixed order).
    func testResumeIsBitForBit() throws {
        defer { Threads.set(2) }
        for threads in [1, 2] {
            Threads.set(threads)
            try resumeIsBitForBit()
        }
    }

    private func resumeIsBitForBit() throws {
        var rng = RNG(seed: 8)
        let data = LabeledImages(shape: Shape(8, 8, 1), images: (0..<(96 * 64)).map { _ in rng.uniform() },
                                 labels: (0..<96).map { _ in Int32(rng.below(10)) })
        var s = TrainingSettings(); s.epochs = 3; s.batchSize = 16; s.seed = 5; s.learningRateDecay = 0.9
        let spec = "in8x8x1-conv4k3-relu-pool2-flatten-drop0.25-dense10"
        let full = try Network(spec: spec)
        _ = Trainer(network: full, settings: s).run(train: data, validation: nil)

        var firstLeg = s; firstLeg.epochs = 1
        let net = try Network(spec: spec)
        let t1 = Trainer(network: net, settings: firstLeg)
        _ = t1.run(train: data, validation: nil)
        let ckpt = dir + "/c.safetensors"
        try Checkpoint.save(t1, metadata: [], to: ckpt)

        let (resumedNet, file) = try WeightsFile.load(ckpt)
        let t2 = Trainer(network: resumedNet, settings: s, initialize: false)
        try Checkpoint.restore(t2, from: file, path: ckpt)
        XCTAssertEqual(t2.epochsDone, 1)
        _ = t2.run(train: data, validation: nil)
        XCTAssertEqual(t2.history.count, 3)
        for (a, b) in zip(full.namedParameters, resumedNet.namedParameters) {
            XCTAssertEqual(a.parameter.value.array, b.parameter.value.array, a.name)
        }
    }

    func testAtomicWriteReplacesWholeFile() throws {
        let p = dir + "/a.txt"
        try AtomicFile.write("old", to: p)
        try AtomicFile.write("new contents", to: p)
        XCTAssertEqual(try String(contentsOfFile: p, encoding: .utf8), "new contents")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
        XCTAssertThrowsError(try AtomicFile.write("x", to: dir + "/no/such/dir/f")) { XCTAssertTrue("\($0)".contains("cannot write")) }
    }

    func testJSONRoundTripAndErrors() throws {
        let j = JSON.object([("a", .array([.number(1), .number(-2.5), .null, .bool(true)])), ("s", .string("q\"\\\n\u{1}é😀"))])
        XCTAssertEqual(try JSON.parse(j.text), j)
        XCTAssertEqual(try JSON.parse(#" {"u": "\u00e9\ud83d\ude00"} "#)["u"]?.string, "é😀")
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{\"a\":\"\\x\"}", "\"\\ud800\"", "1e999"] {
            XCTAssertThrowsError(try JSON.parse(bad), bad)
        }
    }
}
