/// What a weights file records about how its weights were made, typed: the one
/// place that turns these metadata keys into text and back. Decoding checks
/// every value exactly as the command line checks its options
/// (`TrainingSettings.validate()`), so a crafted file can set nothing a user
/// could not. (WeightsFile adds "format", "spec" and "name"; a checkpoint adds
/// its own state, see `Checkpoint`.)
public struct WeightsMetadata: Sendable, Equatable {
    /// The data set's name ("mnist", "optdigits").
    public var dataset: String?
    public var settings: TrainingSettings?
    /// Only the first N training images were used.
    public var trainLimit: Int?
    /// The test set was this stratified fraction of the pooled data.
    public var holdout: Double?
    public var testAccuracy: Double?
    public var testLoss: Double?
    public var epochsTrained: Int?
    /// Where the weights were trained, when not by `digits train` ("digits draw (menu: Retrain)").
    public var trainedIn: String?
    /// The output that means "not a digit" (a letter, a scribble), when the model
    /// was trained with one; the other outputs are the digits in order.
    public var notADigitClass: Int?

    public init() {}

    enum Key {
        static let dataset = "dataset", settings = "settings", trainLimit = "train_limit", holdout = "holdout"
        static let testAccuracy = "test_accuracy", testLoss = "test_loss", epochsTrained = "epochs_trained"
        static let trainedIn = "trained_in", notADigitClass = "not_a_digit_class"
    }

    /// The metadata pairs to write.
    public var pairs: [(String, String)] {
        var out: [(String, String)] = []
        if let d = dataset { out.append((Key.dataset, d)) }
        if let s = settings { out.append((Key.settings, Self.encode(s))) }
        if let l = trainLimit { out.append((Key.trainLimit, String(l))) }
        if let h = holdout { out.append((Key.holdout, String(h))) }
        if let a = testAccuracy { out.append((Key.testAccuracy, String(a))) }
        if let l = testLoss { out.append((Key.testLoss, String(l))) }
        if let e = epochsTrained { out.append((Key.epochsTrained, String(e))) }
        if let t = trainedIn { out.append((Key.trainedIn, t)) }
        if let c = notADigitClass { out.append((Key.notADigitClass, String(c))) }
        return out
    }

    /// Reads and checks the metadata of `file` (read from `path`, for messages).
    public init(_ file: Safetensors, path: String) throws {
        do { try self.init(decoding: file.meta) } catch let p as SettingProblem {
            throw FileError(path, "its metadata is invalid: \(p.setting.key) \(p.requirement) (it is \(Self.shown(p.value)))")
        } catch let e as MetadataProblem {
            throw FileError(path, "its metadata is invalid: \(e.description)")
        }
    }

    /// Throws `SettingProblem` or `MetadataProblem`.
    public init(decoding meta: (String) -> String?) throws {
        dataset = try meta(Key.dataset).map { d in
            guard !d.isEmpty, d.count <= 32, d.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }) else {
                throw MetadataProblem("\(Key.dataset) is not a data set's name (it is \(Self.shown(d)))")
            }
            return d
        }
        settings = try meta(Key.settings).map(Self.decodeSettings)
        trainLimit = try meta(Key.trainLimit).map { try Self.integer($0, .trainLimit, TrainingSettings.Allowed.trainLimit) }
        holdout = try meta(Key.holdout).map { text in
            guard let h = Double(text) else { throw SettingProblem(.holdout, TrainingSettings.Allowed.holdout.requirement, value: text) }
            try TrainingSettings.Allowed.holdout.check(h, .holdout)
            return h
        }
        // Reports only: shown, never used to size or index anything.
        testAccuracy = meta(Key.testAccuracy).flatMap { Double($0) }.flatMap { $0.isFinite && $0 >= 0 && $0 <= 1 ? $0 : nil }
        testLoss = meta(Key.testLoss).flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil }
        epochsTrained = meta(Key.epochsTrained).flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
        trainedIn = meta(Key.trainedIn)
        notADigitClass = try meta(Key.notADigitClass).map(Self.decodeNotADigitClass)
    }

    /// The "not a digit" output named by a file, read by the one rule (also used by
    /// `checkNotADigitClass` when weights are loaded).
    static func decodeNotADigitClass(_ text: String) throws -> Int {
        guard let c = Int(text), c >= 0, c < ModelLimits.classes else {
            throw MetadataProblem("\(Key.notADigitClass) is not a class index (it is \(Self.shown(text)))")
        }
        return c
    }

    /// The training settings as a JSON object (so one metadata key holds them all).
    public static func encode(_ s: TrainingSettings) -> String {
        JSON.object(TrainingSettings.rows.compactMap { row in row.encode(s).map { (row.setting.key, $0) } }).text
    }

    /// The settings JSON back, every field read and checked by its row; missing
    /// optional fields keep their defaults (files written before they existed).
    public static func decodeSettings(_ text: String) throws -> TrainingSettings {
        guard let j = try? JSON.parse(text), j.object != nil else { throw MetadataProblem("settings is not a JSON object") }
        var s = TrainingSettings()
        for row in TrainingSettings.rows {
            if let v = j[row.setting.key], v != .null {
                try row.decode(v, &s)
            } else if row.required {
                throw MetadataProblem("settings has no \(row.setting.key)")
            }
        }
        try s.validate()
        return s
    }

    static func integer(_ text: String, _ setting: Setting, _ b: Bounds<Int>) throws -> Int {
        guard let v = Int(text) else { throw SettingProblem(setting, b.requirement, value: text) }
        try b.check(v, setting)
        return v
    }

    /// A value from a file, cut short for a one-line message.
    static func shown(_ v: String) -> String { v.count > 40 ? String(v.prefix(40)) + "…" : v }
}

/// Metadata that is not what its key needs.
public struct MetadataProblem: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
