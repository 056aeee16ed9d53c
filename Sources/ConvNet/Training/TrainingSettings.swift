/// How a training run is set up: the knobs of `digits train` and of the app's
/// Retrain form. Every value from outside (an option, a form field, a
/// checkpoint's metadata) goes through `validate()` before a run uses it.
///
/// Adding a setting: a field here, its names in `Setting`, its row in
/// `TrainingSettings.rows` (range, file encoding: SettingsTable.swift), and its
/// option in the train command (`TrainCommand.apply`).
public struct TrainingSettings: Sendable, Equatable {
    public var epochs = 5
    public var batchSize = 64
    public var optimizer = OptimizerKind.adam
    public var learningRate: Float? = nil
    /// Multiplies the learning rate after each epoch (1 = constant, as Keras' fit).
    public var learningRateDecay: Float = 1
    /// SGD's momentum (nil: the optimizer's default, 0).
    public var momentum: Float? = nil
    public var validationSplit = 0.0
    public var augment = false
    public var seed: UInt64 = 1
    public var initializer = Network.Initializer.glorot
    /// How the learning rate moves within the run (`step`: × `learningRateDecay` each epoch).
    public var schedule = LearningRateSchedule.step
    /// Label smoothing ε: targets (1 − ε)·onehot + ε/classes (0 = plain one-hot).
    public var labelSmoothing: Float = 0
    /// Decay of the exponential moving average of the weights that the run ends
    /// with (0 = none: the last step's weights).
    public var averaging: Float = 0
    /// Elastic distortion: the typical displacement in pixels (0 = none).
    public var elastic: Float = 0
    /// The share of images stretched to fill a square box, whatever their aspect (scans).
    public var stretch: Float = 0
    /// The share of images whose strokes are made thicker or thinner.
    public var thickness: Float = 0
    /// How many times each training writer's pen digit is drawn in an epoch (0: none).
    public var penDigits = 0
    /// "Not a digit" examples drawn in an epoch (letters, scribbles, shapes), label 10.
    public var negatives = 0
    /// How far a drawn pen path is bent, as a share of the drawing's size (0 = drawn as written).
    public var penWarp: Float = 0
    public init() {}

    /// The allowed values, one place for the command line, the app and checkpoints.
    public enum Allowed {
        public static let epochs = Bounds<Int>(1, 1_000_000)
        public static let batchSize = Bounds<Int>(1, 65_536)
        public static let learningRate = Bounds<Float>(0, 100, openBelow: true)
        public static let learningRateDecay = Bounds<Float>(0, 1, openBelow: true)
        public static let momentum = Bounds<Float>(0, 1, openAbove: true)
        public static let validationSplit = Bounds<Double>(0, 1, openAbove: true)
        /// Pooled train+test data, this fraction held out as the test set.
        public static let holdout = Bounds<Double>(0, 1, openBelow: true, openAbove: true)
        public static let trainLimit = Bounds<Int>(1, Int(Int32.max))
        public static let labelSmoothing = Bounds<Float>(0, 0.5)
        public static let averaging = Bounds<Float>(0, 1, openAbove: true)
        public static let elastic = Bounds<Float>(0, 4)
        public static let share = Bounds<Float>(0, 1)
        public static let penDigits = Bounds<Int>(0, 20)
        public static let negatives = Bounds<Int>(0, 1_000_000)
        public static let penWarp = Bounds<Float>(0, 0.2)
    }

    /// The first setting out of its allowed range, as a `SettingProblem`.
    public func validate() throws {
        for row in Self.rows { try row.check(self) }
    }
}

/// A setting's two names: its key in a weights file's metadata and its option.
public enum Setting: String, Sendable, CaseIterable {
    case epochs, batchSize = "batch_size", optimizer, learningRate = "learning_rate"
    case learningRateDecay = "learning_rate_decay", momentum, validationSplit = "validation_split"
    case augment, seed, initializer, holdout, trainLimit = "train_limit"
    case schedule, labelSmoothing = "label_smoothing", averaging, elastic, stretch, thickness
    case penDigits = "pen_digits", negatives, penWarp = "pen_warp"

    public var key: String { rawValue }
    public var option: String {
        switch self {
        case .learningRate: "--lr"
        case .learningRateDecay: "--lr-decay"
        case .validationSplit: "--val-split"
        case .trainLimit: "--limit"
        case .batchSize: "--batch-size"
        case .labelSmoothing: "--label-smoothing"
        case .penDigits: "--pen-digits"
        case .penWarp: "--pen-warp"
        default: "--" + rawValue
        }
    }
}

/// A setting outside its allowed values: `requirement` reads after the setting's
/// name ("must be a whole number from 1 to 65536").
public struct SettingProblem: Error, CustomStringConvertible, Sendable {
    public let setting: Setting
    public let requirement: String
    public let value: String
    public init(_ setting: Setting, _ requirement: String, value: String) {
        self.setting = setting; self.requirement = requirement; self.value = value
    }
    /// As the command line says it: "--batch-size must be …".
    public var description: String { "\(setting.option) \(requirement)" }
}

/// An interval of allowed numbers, each end closed or open. NaN is never inside.
public struct Bounds<T: Comparable & Sendable>: Sendable {
    public let lower: T, upper: T
    public let openBelow: Bool, openAbove: Bool
    public init(_ lower: T, _ upper: T, openBelow: Bool = false, openAbove: Bool = false) {
        self.lower = lower; self.upper = upper; self.openBelow = openBelow; self.openAbove = openAbove
    }

    /// The same interval in another type (a Float setting as a form's Double).
    public func map<U>(_ convert: (T) -> U) -> Bounds<U> {
        Bounds<U>(convert(lower), convert(upper), openBelow: openBelow, openAbove: openAbove)
    }

    public func contains(_ v: T) -> Bool {
        (openBelow ? v > lower : v >= lower) && (openAbove ? v < upper : v <= upper)
    }

    /// "a whole number from 1 to 65536", "a number in (0, 1]".
    public var requirement: String {
        func text(_ v: T) -> String { let s = "\(v)"; return s.hasSuffix(".0") ? String(s.dropLast(2)) : s }
        if T.self == Int.self { return "must be a whole number from \(lower) to \(upper)" }
        return "must be a number in \(openBelow ? "(" : "[")\(text(lower)), \(text(upper))\(openAbove ? ")" : "]")"
    }

    public func check(_ v: T, _ setting: Setting) throws {
        guard contains(v) else { throw SettingProblem(setting, requirement, value: "\(v)") }
    }

    /// For options that are not training settings: "--timeout must be …".
    public func check(_ v: T, option: String) throws {
        guard contains(v) else { throw OptionProblem(option: option, requirement: requirement) }
    }
}

/// An option outside its allowed values (options that are not training settings).
public struct OptionProblem: Error, CustomStringConvertible, Sendable {
    public let option: String, requirement: String
    public var description: String { "\(option) \(requirement)" }
}
