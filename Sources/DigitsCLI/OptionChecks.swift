import ArgumentParser
import ConvNet
import DigitData

/// The allowed values of the options that are not training settings (those are
/// in `TrainingSettings.Allowed`), one rule each, checked in `validate()`.
enum OptionRules {
    /// At most one per core (`Threads.available`).
    static var threads: Bounds<Int> { Bounds<Int>(1, Threads.available) }
    static let folds = Bounds<Int>(2, 50)
    static let benchImages = Bounds<Int>(128, 60_000)  // MNIST's training set; noise beyond it only costs memory
    static let testLimit = Bounds<Int>(1, Int(Int32.max))
    /// Seconds to wait for a server: a finite, human span.
    static let timeout = Bounds<Double>(0, 3600, openBelow: true)
    /// A pen's diameter in pixels: twice the app's brush radii (1.2 to 6).
    static let brush = Bounds<Float>(2 * Canvas.brushRange.lowerBound, 2 * Canvas.brushRange.upperBound)
}

/// Runs option checks written with the shared rules (`Bounds`,
/// `TrainingSettings.validate`), reporting the first failure as a usage error.
func checkOptions(_ body: () throws -> Void) throws {
    do { try body() }
    catch let p as SettingProblem { throw ValidationError(p.description) }
    catch let p as OptionProblem { throw ValidationError(p.description) }
}
