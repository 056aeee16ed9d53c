import Foundation
import ConvNet
import DigitData
import Glibc

/// Where the shipped weights are: beside an installed binary
/// (PREFIX/bin/digits → PREFIX/share/digits/), else in the source package's
/// assets/ (the path is fixed when the binary is built), so every way of
/// starting the binary finds them. `--weights` and `$DIGITS_WEIGHTS` come first.
enum Locations {
    static let shippedFile = "digitnet.safetensors"

    static var executableDirectory: String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    static var packageAssets: String {
        // …/Sources/digits/Locations.swift → …/assets
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/assets"
    }

    static var shippedCandidates: [String] {
        var c: [String] = []
        if let exe = executableDirectory { c.append("\(exe)/../share/digits/\(shippedFile)") }
        c.append("\(packageAssets)/\(shippedFile)")
        return c
    }

    /// $DIGITS_WEIGHTS, when set and not empty.
    static var weightsFromEnvironment: String? {
        ProcessInfo.processInfo.environment["DIGITS_WEIGHTS"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The weights file to use, or a clear error listing where it looked.
    static func weights(option: String?) throws -> String {
        if let o = option { return o }
        if let e = weightsFromEnvironment { return e }
        if let found = shippedCandidates.first(where: isRegularFile) { return found }
        throw UserError("no weights found (looked in \(shippedCandidates.joined(separator: ", "))): pass --weights FILE or train one with `digits train`")
    }
}
