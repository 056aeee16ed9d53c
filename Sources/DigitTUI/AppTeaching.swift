import ConvNet
import DigitData

/// The app's Teach: start it, follow it on the status line, show its result,
/// keep or discard the taught model, and go back to the shipped model.
extension App {
    /// The result of a finished teach, waiting for keep (y) or discard (n).
    public var taughtReport: TeachingReport? {
        if let t = teaching, case let .finished(r) = t.snapshot { return r }
        return nil
    }

    /// A new model (trained or taught) waits for y or n.
    var newModelWaits: Bool { trainedAccuracy != nil || taughtReport != nil }

    /// F7: teaches the live model the samples in the background; while it runs,
    /// F7 again cancels it.
    func teachOrCancel() {
        if let t = teaching, !t.isDone {
            t.cancel()
            notice = ("cancelling the teaching…", false)
            return
        }
        // Samples added from the command line meanwhile count too: the counts are read afresh.
        if let store = samples.store, let set = try? store.read() { samples.update(set) }
        teaching = TeachJob(model: model, store: samples.store ?? SampleStore(option: nil), dataOption: dataOption)
        notice = ("teaching: reading your samples and MNIST…", false)
    }

    /// Polled every frame: the progress on the status line, then the result.
    func updateTeaching() {
        guard let t = teaching else { return }
        switch t.snapshot {
        case .loading: break
        case let .running(p):
            // The progress is the status line's, unless something else was just said.
            if notice == nil || notice!.text.hasPrefix("teaching") { notice = (TeachJob.progressText(p), false) }
        case .finished:
            if !teachResultShown {
                // Not a modal message: the result waits over the lower panel (as a
                // retraining's does, Renderer.drawTaughtDone) while drawing goes on; y or n decides.
                teachResultShown = true
                notice = ("taught: y keeps the new model, n discards it", false)
            }
        case let .failed(msg):
            teaching = nil
            notice = ("teaching failed: \(msg)", true)
        case .cancelled:
            teaching = nil
            notice = ("teaching cancelled; the model on screen is unchanged", false)
        }
    }

    /// y after teaching: the taught model goes live, and the save form asks for
    /// a name (the shipped file is only replaced after "yes" is typed).
    func keepTaughtModel() {
        guard let t = teaching, let net = t.network,
              let m = try? LiveModel(network: net, source: "taught in this session", metadata: t.metadata) else { return }
        replaceModel(m)
        teaching = nil
        teachResultShown = false
        unsavedModel = true
        openForm(.save)
        notice = ("the taught model is live; save it now or later with F5 (F8 goes back to the shipped model)", false)
    }

    func discardTaughtModel() {
        teaching = nil
        teachResultShown = false
        notice = ("the taught model was discarded; the previous one stays", false)
    }

    /// The shipped weights file, if there is one.
    var shippedFile: String? { shippedWeights.first(where: isRegularFile) }

    /// F8: the shipped model goes live again. An unsaved model would be lost:
    /// the first F8 says so, a second one goes back anyway.
    func backToShipped() {
        guard let path = shippedFile else { notice = ("no shipped weights file found", true); return }
        if unsavedModel && !confirmingBackToShipped {
            confirmingBackToShipped = true
            notice = ("the model on screen is not saved: F8 again goes back to the shipped model anyway, F5 saves it", true)
            return
        }
        confirmingBackToShipped = false
        do {
            replaceModel(try LiveModel.load(path))
            unsavedModel = false
            notice = ("back to the shipped model (\(path))", false)
        } catch {
            notice = ("could not load the shipped model: \(error)", true)
        }
    }
}
