import ConvNet
import DigitData
import Glibc

/// Teaching the live model the person's samples, in the background (the menu's
/// Teach): the same `Teaching` as `digits teach`, on a copy of the live network,
/// on one core so that the drawing thread keeps the other. The UI polls
/// `snapshot` and may `cancel`; the model on screen is untouched until the
/// person keeps the result.
public final class TeachJob: @unchecked Sendable {
    public enum Phase: Sendable {
        case loading
        case running(TeachingProgress)
        case finished(TeachingReport)
        case failed(String)
        case cancelled
    }

    private let state = Locked(Phase.loading)
    private let cancelled = Locked(false)
    /// The taught network, valid once finished.
    public private(set) var network: Network?
    public private(set) var metadata: [(String, String)] = []
    /// Starts teaching a copy of `model`'s network on the samples in `store`,
    /// with MNIST from `dataOption`.
    public init(model: LiveModel, store: SampleStore, dataOption: String?) {
        let base = try? Network(spec: model.network.spec)
        base?.copyWeights(from: model.network)
        let meta = model.metadata
        startThread { [self] in
            // One core, and a lower priority than the drawing thread's: on a busy
            // machine the strokes get the core first (per-stroke p99 while teaching,
            // docs/PERFORMANCE.md).
            TeachJob.lowerThisThreadsPriority()
            Threads.onThisThreadOnly { self.work(base, meta, store, dataOption) }
        }
    }

    /// Linux threads have their own nice value (who = 0 is the calling thread): 10 for this one.
    static func lowerThisThreadsPriority() {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    }

    public var snapshot: Phase { state.snapshot }
    public func cancel() { cancelled.with { $0 = true } }
    var isCancelled: Bool { cancelled.snapshot }

    public var isDone: Bool {
        switch snapshot { case .finished, .failed, .cancelled: true; default: false }
    }

    private func work(_ base: Network?, _ meta: [(String, String)], _ store: SampleStore, _ dataOption: String?) {
        do {
            guard let base else { throw SpecError("could not copy the model") }
            let recorded = try WeightsMetadata(decoding: { k in meta.first { $0.0 == k }?.1 })
            // (A damaged folder was said at start; its good samples are taught.)
            let samples = try TeachingInput.samples(store).samples
            let mnistDir = try DataLocator.directory(for: .mnist, option: dataOption)
            let train = try MNIST.load(.train, from: mnistDir), test = try MNIST.load(.test, from: mnistDir)
            if isCancelled { state.with { $0 = .cancelled }; return }
            let teaching = try Teaching(network: base, notADigitClass: recorded.notADigitClass, samples: samples,
                                        rehearsal: train, test: test)
            let report = try teaching.run(progress: { p in self.state.with { $0 = .running(p) } },
                                          shouldStop: { self.isCancelled })
            guard teaching.network.isUsable else { throw SpecError("teaching gave class scores that are not finite numbers") }
            var saved = recorded
            saved.testAccuracy = report.testAfter
            saved.testLoss = nil
            saved.trainedIn = "digits draw (menu: Teach, \(report.samples) samples)"
            network = teaching.network
            metadata = saved.pairs
            state.with { $0 = .finished(report) }
        } catch is TeachingStopped {
            state.with { $0 = .cancelled }
        } catch {
            state.with { $0 = .failed("\(error)") }
        }
    }

    /// The result in a few lines, for the message the app shows.
    public static func resultLines(_ r: TeachingReport) -> [String] {
        var lines = [
            "your \(r.samples) samples, \(r.folds)-fold (each read by a model",
            "not taught it): \(Format.percent(r.samplesBefore)) → \(Format.percent(r.samplesAfter))",
        ]
        if let b = r.testBefore, let a = r.testAfter {
            lines.append("MNIST test (\(Format.thousands(r.testCount))): \(Format.percent(b)) → \(Format.percent(a))")
        }
        lines.append("\(Format.fixed(r.totalSeconds, 1)) s in all (the final fit \(Format.fixed(r.teachSeconds, 1)) s)")
        // Said plainly when teaching did not pay: keeping it is then the person's call.
        if r.samplesRightAfter < r.samplesRightBefore { lines.append("worse on your samples than before: n (discard) is advised") }
        else if let b = r.testBefore, let a = r.testAfter, b - a > 0.001 { lines.append("MNIST test dropped by more than 0.1 point") }
        return lines
    }

    /// The progress in a few words, for the status line.
    public static func progressText(_ p: TeachingProgress) -> String {
        let percent = "\(Int(p.fraction * 100)) %"
        switch p.stage {
        case .preparing: return "teaching: reading your samples and MNIST…"
        case let .fold(f, of: k): return "teaching \(percent): checking on your samples, fold \(f)/\(k)"
        case .teaching: return "teaching \(percent): learning all your samples"
        case .measuring: return "teaching: measuring on MNIST test…"
        }
    }
}
