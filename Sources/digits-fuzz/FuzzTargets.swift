import ConvNet
import DigitData
import Glibc

// Fuzz targets: each feeds arbitrary bytes to one reader of outside files and
// then to what the product does next with what was read. Any crash, hang or
// runaway allocation is a finding; a thrown error is the expected outcome.
//
//   make fuzz SECONDS=60        every target under libFuzzer (+ AddressSanitizer)
//   digits-fuzz TARGET FILE...  (normal build) replays files, e.g. a crash input

let fuzzTargets = ["safetensors", "idx", "optdigits", "image", "spec", "checkpoint-settings", "cli-options", "unipen"]

func exercise(_ target: String, _ bytes: [UInt8]) {
    switch target {
    case "safetensors":
        if let file = try? Safetensors.decode(bytes) {
            _ = try? WeightsFile.network(from: file)
            _ = try? WeightsFile.network(from: file, model: "seed003")
        }
    case "idx":
        if let a = try? IDXArray.decode(bytes, path: "fuzz"), a.dimensions.count == 3 || a.dimensions.count == 1 {
            _ = a.bytes.reduce(0) { $0 &+ Int($1) }
        }
        // As `--limit` reads: the first items only, the rest of the stream left unread.
        if let a = try? IDXArray.decode(bytes, path: "fuzz", maxItems: 3) { _ = a.bytes.reduce(0) { $0 &+ Int($1) } }
    case "optdigits":
        _ = try? Optdigits.parse(bytes, path: "fuzz")
    case "image":
        if let img = try? ImageIO.decode(bytes, path: "fuzz") { _ = try? DigitPreparation.prepare(img) }
    case "spec":
        // A model spec (an option, or a weights file's metadata): whatever parses
        // must fit ModelLimits, so building it and one forward pass stay within
        // the allocation and time limits.
        if let net = try? Network(spec: String(decoding: bytes, as: UTF8.self)) {
            var rng = RNG(seed: 0)
            [Float](repeating: 0, count: net.inputShape.count).withUnsafeBufferPointer {
                _ = net.forward($0.baseAddress!, batch: 1, training: false, rng: &rng)
            }
        }
    case "checkpoint-settings":
        exerciseCheckpointSettings(bytes)
    case "cli-options":
        exerciseCommandLine(bytes)
    case "unipen":
        // A pen-stroke file, then what `--dataset unipen` does with it: each
        // sample drawn on the app's canvas at the thinnest and thickest brush.
        if let samples = try? PenStrokes.decode(bytes, path: "fuzz", labels: .digits) {
            for r in [PenDigits.brushRadii.lowerBound, PenDigits.brushRadii.upperBound] {
                _ = PenDigits(samples, brushRadius: r).images.count
            }
        }
        // The letters reader, whole and as a `limit` reads it (the rest left unread).
        _ = try? PenStrokes.decode(bytes, path: "fuzz", labels: .letters)
        _ = try? PenStrokes.decode(bytes, path: "fuzz", labels: .letters, limit: 2)
    default:
        break
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let target = getenv("DIGITS_FUZZ_TARGET").map { String(cString: $0) } ?? "safetensors"
    exercise(target, size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : [])
    return 0
}


#if FUZZING
// SwiftPM links an executable's entry point as `<module>_main`; under libFuzzer
// that entry hands control to the fuzzing driver with our callback.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("digits_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in fuzzOne(data, size) }
}
#endif
