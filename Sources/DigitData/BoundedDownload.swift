import ConvNet
import Foundation
import FoundationNetworking  // URLSession on Linux

/// One HTTP(S) GET from a server we do not trust, with every limit enforced
/// here rather than left to URLSession (whose resource timeout and buffering
/// swift-corelibs-foundation does not bound): at most `maxBytes` of body, ever
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
    /// Where the session's callbacks run, one process-wide queue.
    private static let callbackQueue = DispatchQueue(label: "BoundedDownload")

    func run() throws -> [UInt8] {
        let config = URLSessionConfiguration.ephemeral
        // Our own checks below say which limit was hit; the session's own
        // timeouts are only a backstop, set later so they never fire first.
        config.timeoutIntervalForRequest = totalSeconds + 5
        config.timeoutIntervalForResource = totalSeconds + 5
        // No cache: it would keep its own copy of the body.
        config.urlCache = nil
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        let receiver = Receiver(maxBytes: maxBytes, limitReason: limitReason)
        // A queue of our own over a dispatch queue: with the session's default
        // queue the callbacks fell seconds behind a fast server (4 GB read before
        // the cap was seen), with this one they keep up (about 0.2 GB peak).
        let callbacks = OperationQueue()
        callbacks.maxConcurrentOperationCount = 1
        // The operation queue holds its dispatch queue unowned: it must outlive
        // every session, including callbacks that come after a cancel.
        callbacks.underlyingQueue = Self.callbackQueue
        let session = URLSession(configuration: config, delegate: receiver, delegateQueue: callbacks)
        defer { session.invalidateAndCancel() }
        let task = session.dataTask(with: url)
        let start = Date()
        task.resume()
        // Poll rather than trust the session to finish: a cancelled task's
        // callbacks may come late or not at all, and the deadlines are ours.
        while true {
            if receiver.finished.wait(timeout: .now() + 0.1) == .success { break }
            let state = receiver.snapshot()
            if let problem = state.problem {
                task.cancel()
                throw FileError(url.absoluteString, problem)
            }
            let now = Date()
            if now.timeIntervalSince(start) > totalSeconds {
                task.cancel()
                throw FileError(url.absoluteString, "not finished after \(Self.seconds(totalSeconds)) seconds (\(state.bytes) bytes received)")
            }
            if now.timeIntervalSince(state.lastActivity) > idleSeconds {
                task.cancel()
                throw FileError(url.absoluteString, "no data from the server for \(Self.seconds(idleSeconds)) seconds")
            }
        }
        let state = receiver.snapshot()
        if let problem = state.problem { throw FileError(url.absoluteString, problem) }
        if let e = state.error {
            let ns = e as NSError
            let offline = [NSURLErrorNotConnectedToInternet, NSURLErrorCannotFindHost, NSURLErrorCannotConnectToHost,
                           NSURLErrorTimedOut, NSURLErrorNetworkConnectionLost, NSURLErrorDNSLookupFailed].contains(ns.code)
            throw FileError(url.absoluteString, offline ? "no network connection to \(url.host ?? url.absoluteString) (\(ns.localizedDescription))" : ns.localizedDescription)
        }
        if let status = state.status, !(200..<300).contains(status) {
            throw FileError(url.absoluteString, "the server answered HTTP \(status)")
        }
        return receiver.takeBody()
    }

    /// 0.5 → "0.5", 30 → "30".
    static func seconds(_ s: Double) -> String { String(format: "%g", s) }

    /// Collects the body on the session's queue, refusing it past the cap;
    /// the waiting thread reads it under the lock.
    final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let maxBytes: Int, limitReason: String
        let finished = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var body = Data()  // Data: appending a chunk is one copy
        private var problem: String?
        private var error: Error?
        private var status: Int?
        private var lastActivity = Date()

        init(maxBytes: Int, limitReason: String) { self.maxBytes = maxBytes; self.limitReason = limitReason }

        struct Snapshot { let problem: String?, error: Error?, status: Int?, lastActivity: Date, bytes: Int }
        func snapshot() -> Snapshot {
            lock.lock(); defer { lock.unlock() }
            return Snapshot(problem: problem, error: error, status: status, lastActivity: lastActivity, bytes: body.count)
        }
        func takeBody() -> [UInt8] { lock.lock(); defer { lock.unlock() }; return [UInt8](body) }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            lock.lock()
            lastActivity = Date()
            status = (response as? HTTPURLResponse)?.statusCode
            let announced = response.expectedContentLength
            if announced > maxBytes {
                problem = "the server announces \(Format.thousands(Int(announced))) bytes, more than \(Format.thousands(maxBytes)) (\(limitReason))"
            } else if announced > 0 {
                body.reserveCapacity(Int(announced))
            }
            let refuse = problem != nil
            lock.unlock()
            completionHandler(refuse ? .cancel : .allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            lock.lock()
            lastActivity = Date()
            if problem == nil, body.count + data.count > maxBytes {
                problem = "the server sent more than \(Format.thousands(maxBytes)) bytes (\(limitReason))"
                body = Data()  // nothing of it is used: give the memory back now
            }
            let refuse = problem != nil
            if !refuse { body.append(data) }
            lock.unlock()
            if refuse { dataTask.cancel() }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            lock.lock()
            self.error = error
            lock.unlock()
            finished.signal()
        }
    }
}
