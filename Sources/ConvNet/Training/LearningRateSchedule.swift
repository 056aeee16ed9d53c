import Glibc

/// How the learning rate moves during a run, set before every batch.
///
/// * `step`: the rate × `learningRateDecay` after each epoch (Keras' fit with a
///   decay callback; with decay 1 a constant rate).
/// * `cosine`: from the rate down to 0 along half a cosine over the whole run
///   (Loshchilov & Hutter's SGDR without restarts).
/// * `onecycle`: a linear warm-up from a tenth of the rate to the rate over the
///   first `warmUp` of the run, then the cosine down to 0 (Smith's one-cycle
///   policy): large steps early explore, the small ones at the end settle.
///
/// The cosine and one-cycle schedules depend on the run's whole length
/// (`epochs`), so the same settings give the same rates whether or not the
/// run was interrupted and resumed.
public enum LearningRateSchedule: String, CaseIterable, Sendable {
    case step, cosine, onecycle

    /// The share of the run spent warming up in `onecycle`.
    public static let warmUp = 0.2

    /// The learning rate for batch `batch` (0-based) of epoch `epoch` (1-based)
    /// of a run of `epochs` epochs of `batches` batches each.
    public func rate(base: Float, decay: Float, epoch: Int, batch: Int, batches: Int, epochs: Int) -> Float {
        let done = Double(epoch - 1) * Double(batches) + Double(batch)
        let t = done / max(1, Double(epochs) * Double(batches))
        switch self {
        case .step:
            return base * powf(decay, Float(epoch - 1))
        case .cosine:
            return base * Float(0.5 * (1 + cos(Double.pi * t)))
        case .onecycle:
            let w = Self.warmUp
            if t < w { return base * Float(0.1 + 0.9 * t / w) }
            return base * Float(0.5 * (1 + cos(Double.pi * (t - w) / (1 - w))))
        }
    }
}
