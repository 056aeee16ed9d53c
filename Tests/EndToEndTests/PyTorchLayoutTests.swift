import Foundation
import XCTest
import ConvNet

/// The weight-file convention, checked by an independent implementation: NumPy
/// reads our safetensors and runs the network the PyTorch way (NCHW, conv weights
/// [out, in, kh, kw], flatten in (c, h, w) order, dense x·Wᵀ + b). Same logits.
final class PyTorchLayoutTests: XCTestCase {
    func testNumpyReferenceMatchesOurForwardPass() throws {
        guard (try? Process.runAndRead("/usr/bin/env", ["python3", "-c", "import numpy; print(1)"]))?.hasPrefix("1") == true else {
            throw XCTSkip("python3 with numpy is needed for the reference forward pass")
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = "in12x10x2-conv3k3-relu-conv4k3s2same-tanh-pool2-flatten-dense5"
        let net = try Network(spec: spec)
        var rng = RNG(seed: 12)
        net.initialize(rng: &rng, scheme: .he)
        for (name, p) in net.namedParameters where name.hasSuffix("bias") { for i in 0..<p.count { p.value[i] = rng.uniform(-0.3, 0.3) } }
        try WeightsFile.save(net, metadata: [], to: dir + "/w.safetensors")
        let n = 3
        let x = (0..<(n * net.inputShape.count)).map { _ in rng.uniform(-1, 1) }
        var logits = [Float](repeating: 0, count: n * 5)
        var r2 = RNG(seed: 0)
        x.withUnsafeBufferPointer { xb in
            let z = net.forward(xb.baseAddress!, batch: n, training: false, rng: &r2)
            for i in 0..<logits.count { logits[i] = z[i] }
        }
        FileManager.default.createFile(atPath: dir + "/x.f32", contents: x.withUnsafeBufferPointer { Data(buffer: $0) })
        let script = #"""
import json, struct, sys
import numpy as np
d = sys.argv[1]
b = open(d + "/w.safetensors", "rb").read()
n = struct.unpack("<Q", b[:8])[0]
h = json.loads(b[8:8 + n])
W = {k: np.frombuffer(b[8 + n + v["data_offsets"][0]: 8 + n + v["data_offsets"][1]], dtype="<f4").reshape(v["shape"])
     for k, v in h.items() if k != "__metadata__"}
x = np.fromfile(d + "/x.f32", dtype="<f4").reshape(3, 12, 10, 2).transpose(0, 3, 1, 2)   # NHWC -> NCHW

def conv(x, w, b, stride, same):
    N, C, H, Wd = x.shape; O, _, k, _ = w.shape
    if same:
        oh, ow = -(-H // stride), -(-Wd // stride)
        ph, pw = max((oh - 1) * stride + k - H, 0), max((ow - 1) * stride + k - Wd, 0)
        x = np.pad(x, ((0, 0), (0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2)))
    else:
        oh, ow = (H - k) // stride + 1, (Wd - k) // stride + 1
    y = np.zeros((N, O, oh, ow), dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
            y[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return y + b[None, :, None, None]

y = np.maximum(conv(x, W["conv1.weight"], W["conv1.bias"], 1, False), 0)
y = np.tanh(conv(y, W["conv2.weight"], W["conv2.bias"], 2, True))
N, C, H, Wd = y.shape
y = y[:, :, :H // 2 * 2, :Wd // 2 * 2].reshape(N, C, H // 2, 2, Wd // 2, 2).max(axis=(3, 5))
y = y.reshape(N, -1)                       # PyTorch's flatten: (c, h, w)
z = y @ W["fc1.weight"].T + W["fc1.bias"]
print(json.dumps(z.astype(float).ravel().tolist()))
"""#
        try script.write(toFile: dir + "/ref.py", atomically: true, encoding: .utf8)
        let out = try Process.runAndRead("/usr/bin/env", ["python3", dir + "/ref.py", dir])
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [Double], out)
        XCTAssertEqual(reference.count, logits.count)
        for (a, b) in zip(reference, logits) { XCTAssertEqual(a, Double(b), accuracy: 1e-4 * max(1, abs(a))) }
    }
}
