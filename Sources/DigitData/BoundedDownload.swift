import ConvNet
import Foundation
import CCurl
import Glibc

/// One HTTP(S) GET from a server we do not trust, through libcurl directly
/// (CCurl's shim) with every limit enforced inside its loop: URLSession on
/// Linux reads ahead of its delegate without bound, so an endless body took
/// gigabytes before a cap in the delegate saw it. Here: at most `maxBytes` of body, ever
/// held in memory (a Content-Length over it is refused before reading, an
/// endless body is cut as soon as it passes it); at most `idleSeconds` without
/// a byte; at most `totalSeconds` for the whole answer (a server trickling a
/// byte a second never goes idle, so only this ends it).
struct BoundedDownload {
    let url: URL
    let maxBytes: Int
    let idleSeconds: Double
    let totalSeconds: Double
    /// What `maxBytes` is, for the messages ("the most an MNIST file may be").
    let limitReason: String

    /// The body, or a FileError naming the URL and the limit it broke.
    func run() throws -> [UInt8] {
        var h = digits_http()
        let outcome = digits_http_get(url.absoluteString, maxBytes, Int(idleSeconds * 1000), Int(totalSeconds * 1000), &h)
        defer { free(h.body) }
        let reason = withUnsafeBytes(of: h.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        func fail(_ why: String) -> FileError { FileError(url.absoluteString, why) }
        switch Int(outcome) {
        case Int(DIGITS_HTTP_OK.rawValue):
            return h.body.map { [UInt8](UnsafeBufferPointer(start: $0, count: h.length)) } ?? []
        case Int(DIGITS_HTTP_TOO_LARGE_ANNOUNCED.rawValue):
            throw fail("the server announces \(Format.thousands(Int(h.announced))) bytes, more than \(Format.thousands(maxBytes)) (\(limitReason))")
        case Int(DIGITS_HTTP_TOO_LARGE_SENT.rawValue):
            throw fail("the server sent more than \(Format.thousands(maxBytes)) bytes (\(limitReason))")
        case Int(DIGITS_HTTP_IDLE.rawValue):
            throw fail("no data from the server for \(Self.seconds(idleSeconds)) seconds")
        case Int(DIGITS_HTTP_TOO_SLOW.rawValue):
            throw fail("not finished after \(Self.seconds(totalSeconds)) seconds (\(h.length) bytes received)")
        case Int(DIGITS_HTTP_STATUS.rawValue):
            throw fail("the server answered HTTP \(h.status)")
        case Int(DIGITS_HTTP_CONNECT.rawValue):
            throw fail("no network connection to \(url.host ?? url.absoluteString) (\(reason))")
        default:
            throw fail(reason)
        }
    }

    /// 0.5 → "0.5", 30 → "30".
    static func seconds(_ s: Double) -> String { String(format: "%g", s) }
}
