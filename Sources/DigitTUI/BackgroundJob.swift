import ConvNet
import DigitData
import Glibc

/// A thread-safe box the worker writes and the UI polls: the only channel
/// between the training thread and the event loop.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private var mutex = pthread_mutex_t()
    init(_ v: T) { value = v; pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func with<R>(_ body: (inout T) -> R) -> R {
        pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }
        return body(&value)
    }
    var snapshot: T { with { $0 } }
}

/// Starts `body` on its own thread (a large stack: training recurses little, but
/// Swift frames are big in debug builds).
func startThread(_ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    pthread_attr_setstacksize(&attr, 16 << 20)
    var tid = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(&tid, &attr, { arg in
        let b = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
        b.body()
        return nil
    }, box)
    pthread_detach(tid)
    pthread_attr_destroy(&attr)
}

/// What the user picked in the Retrain dialog.
public struct RetrainRequest: Sendable {
    public var model: String
    public var settings: TrainingSettings
}

/// Retraining in the background: loads MNIST, trains a fresh network, measures
/// it on the test set. The UI reads `snapshot` and may `cancel` at any time;
/// the model on screen is untouched until the user keeps the result.
public final class TrainingSession: @unchecked Sendable {
    public enum Phase: Sendable, Equatable {
        case loading, training, evaluating
        case finished(testAccuracy: Double)
        case failed(String)
        case cancelled
    }

    public struct Snapshot: Sendable {
        public var phase: Phase = .loading
        public var progress: TrainingProgress?
        public var history: [EpochRecord] = []
        /// Running training loss, sampled through the epochs, for the live chart.
        public var lossSamples: [(x: Double, loss: Double, accuracy: Double)] = []
        public var trainCount = 0, validationCount = 0
    }

    public let request: RetrainRequest
    public let network: Network
    private let state = Locked(Snapshot())
    private let cancelled = Locked(false)
    public private(set) var metadata: [(String, String)] = []

    public init(request: RetrainRequest, dataOption: String?) throws {
        self.request = request
        network = try Network(spec: request.model)
        guard network.inputShape == Shape(28, 28, 1) else { throw SpecError("the app retrains 28×28 MNIST models only") }
        let req = request
        let net = network
        startThread { [self] in self.work(req, net, dataOption) }
    }

    public var snapshot: Snapshot { state.snapshot }
    public func cancel() { cancelled.with { $0 = true } }
    var isCancelled: Bool { cancelled.snapshot }

    private func work(_ req: RetrainRequest, _ net: Network, _ dataOption: String?) {
        do {
            // The same run as `digits train`, so the saved weights carry the full
            // settings and can be trained again from the command line.
            let plan = TrainingRun.Plan(model: req.model, dataset: .mnist, dataOption: dataOption, settings: req.settings,
                                        trainedIn: "digits draw (menu: Retrain)")
            let run = try TrainingRun(plan: plan, network: net)
            if isCancelled { state.with { $0.phase = .cancelled }; return }
            state.with { $0.phase = .training; $0.trainCount = run.train.count; $0.validationCount = run.validation?.count ?? 0 }
            var lastSample = -1.0
            let outcome = try run.run(files: nil,
                progress: { p in
                    let x = Double(p.epoch - 1) + Double(p.seen) / Double(max(p.total, 1))
                    self.state.with { s in
                        s.progress = p
                        if x - lastSample >= 0.01 || p.batch == p.batches {
                            s.lossSamples.append((x, p.loss, p.accuracy))
                            lastSample = x
                        }
                    }
                },
                epochEnded: { r in self.state.with { $0.history.append(r) } },
                shouldStop: { self.isCancelled })
            if outcome == .stopped { state.with { $0.phase = .cancelled }; return }
            state.with { $0.phase = .evaluating }
            let e = Evaluation(network: net, data: run.test)
            metadata = run.finalMetadata(e).pairs
            state.with { $0.phase = .finished(testAccuracy: e.accuracy) }
        } catch {
            state.with { $0.phase = .failed("\(error)") }
        }
    }
}

/// Evaluation of the live model on the MNIST test set, off the UI thread.
public final class EvaluationJob: @unchecked Sendable {
    public enum Phase: Sendable { case running, done(Evaluation), failed(String) }
    private let state = Locked(Phase.running)
    public var phase: Phase { state.snapshot }

    public init(network: Network, notADigitClass: Int? = nil, dataOption: String?) {
        // A private copy of the weights: the live network keeps serving strokes meanwhile.
        let copy = try? Network(spec: network.spec)
        copy?.copyWeights(from: network)
        startThread { [state] in
            do {
                guard let net = copy else { throw SpecError("could not copy the model") }
                let dir = try DataLocator.directory(for: .mnist, option: dataOption)
                let test = try MNIST.load(.test, from: dir)
                try net.check(test, role: "MNIST test")
                let e = Evaluation(network: net, data: test, notADigitClass: notADigitClass)
                guard e.loss.isFinite else { throw SpecError("the model gives non-finite class scores for some test images") }
                state.with { $0 = .done(e) }
            } catch {
                state.with { $0 = .failed("\(error)") }
            }
        }
    }
}
