/// One row per training setting: its names (`Setting`), how it is written to a
/// weights file's settings JSON, read back and checked. `validate()`, the
/// encoder and the decoder all walk this table, so a setting's rule lives in
/// exactly one row.
struct SettingRow {
    let setting: Setting
    /// Files older than the setting lack it; it then keeps its default.
    let required: Bool
    /// nil: left out of the file.
    let encode: (TrainingSettings) -> JSON?
    /// Reads a present, non-null value into the settings (not yet checked).
    let decode: (JSON, inout TrainingSettings) throws -> Void
    let check: (TrainingSettings) throws -> Void
}

extension TrainingSettings {
    /// Written in this order (the order of files written before the table).
    static let rows: [SettingRow] = [
        .whole(.epochs, \.epochs, Allowed.epochs, required: true),
        .whole(.batchSize, \.batchSize, Allowed.batchSize, required: true),
        .choice(.optimizer, \.optimizer, required: true),
        .float(.learningRate, \.learningRate, Allowed.learningRate),
        .float(.learningRateDecay, \.learningRateDecay, Allowed.learningRateDecay),
        .double(.validationSplit, \.validationSplit, Allowed.validationSplit),
        .flag(.augment, \.augment),
        .seed(.seed, \.seed),
        .choice(.initializer, \.initializer, required: false),
        .float(.momentum, \.momentum, Allowed.momentum, writtenWhenUnset: false),
        // The recipe's settings, written only when used: a file trained without
        // them stays exactly as before.
        .choice(.schedule, \.schedule, required: false, omitted: .step),
        .float(.labelSmoothing, \.labelSmoothing, Allowed.labelSmoothing, omitted: 0),
        .float(.averaging, \.averaging, Allowed.averaging, omitted: 0),
        .float(.elastic, \.elastic, Allowed.elastic, omitted: 0),
        .float(.stretch, \.stretch, Allowed.share, omitted: 0),
        .float(.thickness, \.thickness, Allowed.share, omitted: 0),
        .whole(.penDigits, \.penDigits, Allowed.penDigits, required: false, omitted: 0),
        .whole(.negatives, \.negatives, Allowed.negatives, required: false, omitted: 0),
        .float(.penWarp, \.penWarp, Allowed.penWarp, omitted: 0),
    ]
}

extension SettingRow {
    /// `omitted`: the value not written (a setting newer than most files).
    static func whole(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, Int>, _ b: Bounds<Int>, required: Bool,
                      omitted: Int? = nil) -> SettingRow {
        SettingRow(setting: s, required: required,
                   encode: { $0[keyPath: path] == omitted ? nil : .number(Double($0[keyPath: path])) },
                   decode: { j, t in
                       guard let n = j.number, let i = Int(exactly: n) else { throw SettingProblem(s, b.requirement, value: j.text) }
                       t[keyPath: path] = i
                   },
                   check: { try b.check($0[keyPath: path], s) })
    }

    /// A Float written through its shortest decimal text, so 0.0015 stays 0.0015.
    static func float(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, Float>, _ b: Bounds<Float>,
                      omitted: Float? = nil) -> SettingRow {
        SettingRow(setting: s, required: false,
                   encode: { $0[keyPath: path] == omitted ? nil : .number(Double(String($0[keyPath: path]))!) },
                   decode: { j, t in
                       // Out of Float's range becomes infinity, which no rule allows.
                       guard let n = j.number else { throw SettingProblem(s, "must be a number", value: j.text) }
                       t[keyPath: path] = Float(n)
                   },
                   check: { try b.check($0[keyPath: path], s) })
    }

    /// An optional Float (nil: the optimizer's default), null or absent when unset.
    static func float(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, Float?>, _ b: Bounds<Float>,
                      writtenWhenUnset: Bool = true) -> SettingRow {
        SettingRow(setting: s, required: false,
                   encode: { t in t[keyPath: path].map { .number(Double(String($0))!) } ?? (writtenWhenUnset ? .null : nil) },
                   decode: { j, t in
                       guard let n = j.number else { throw SettingProblem(s, "must be a number", value: j.text) }
                       t[keyPath: path] = Float(n)
                   },
                   check: { t in if let v = t[keyPath: path] { try b.check(v, s) } })
    }

    static func double(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, Double>, _ b: Bounds<Double>) -> SettingRow {
        SettingRow(setting: s, required: false, encode: { .number($0[keyPath: path]) },
                   decode: { j, t in
                       guard let n = j.number else { throw SettingProblem(s, "must be a number", value: j.text) }
                       t[keyPath: path] = n
                   },
                   check: { try b.check($0[keyPath: path], s) })
    }

    static func flag(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, Bool>) -> SettingRow {
        SettingRow(setting: s, required: false, encode: { .bool($0[keyPath: path]) },
                   decode: { j, t in
                       guard case .bool(let b) = j else { throw SettingProblem(s, "must be true or false", value: j.text) }
                       t[keyPath: path] = b
                   },
                   check: { _ in })
    }

    /// A UInt64 as a string: JSON numbers are doubles and would round it.
    static func seed(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, UInt64>) -> SettingRow {
        SettingRow(setting: s, required: true, encode: { .string(String($0[keyPath: path])) },
                   decode: { j, t in
                       guard let text = j.string, let v = UInt64(text) else {
                           throw SettingProblem(s, "must be a whole number from 0 to \(UInt64.max)", value: j.text)
                       }
                       t[keyPath: path] = v
                   },
                   check: { _ in })
    }

    static func choice<E: RawRepresentable & CaseIterable>(_ s: Setting, _ path: WritableKeyPath<TrainingSettings, E>,
                                                                     required: Bool, omitted: E? = nil) -> SettingRow
        where E.RawValue == String {
        let names = E.allCases.map(\.rawValue).joined(separator: ", ")
        return SettingRow(setting: s, required: required,
                          encode: { $0[keyPath: path].rawValue == omitted?.rawValue ? nil : .string($0[keyPath: path].rawValue) },
                          decode: { j, t in
                              guard let text = j.string, let v = E(rawValue: text) else {
                                  throw SettingProblem(s, "must be one of \(names)", value: j.text)
                              }
                              t[keyPath: path] = v
                          },
                          check: { _ in })
    }
}
