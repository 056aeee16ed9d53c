import ConvNet

/// A form of labelled fields, used by Retrain, Load and Save as. Each field
/// validates its own text; the form reports the first problem in red.
public struct Form: Sendable {
    public enum Kind: Sendable {
        case text
        /// The allowed values: for training settings, `TrainingSettings.Allowed`'s own.
        case integer(Bounds<Int>)
        case number(Bounds<Double>)
        case choice([String])
        case toggle
    }

    public struct Field: Sendable {
        public var label: String
        public var kind: Kind
        public var value: String
    }

    public var title: String
    public var fields: [Field]
    public var focus = 0
    public var error: String?
    public var submitLabel: String
    /// Lines shown under the fields (where a relative file name goes).
    public var notes: [String]

    public init(title: String, fields: [Field], submitLabel: String, notes: [String] = []) {
        self.title = title; self.fields = fields; self.submitLabel = submitLabel; self.notes = notes
    }

    /// The keys the form's fields take beyond Enter and Esc: ↑↓ where there are
    /// several fields, ←→ where one of them is a choice.
    var keyHints: [String] {
        let choices = fields.contains { if case .choice = $0.kind { return true }; if case .toggle = $0.kind { return true }; return false }
        return (fields.count > 1 ? ["↑↓ fields"] : []) + (choices ? ["←→ choices"] : [])
    }

    public func value(_ label: String) -> String { fields.first { $0.label == label }?.value ?? "" }

    public enum Outcome { case none, submit, cancel }

    /// Edits the focused field or moves between fields. Enter submits when every
    /// field is valid; Esc cancels.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancel
        case .enter:
            if let problem = validate() { error = problem; return .none }
            return .submit
        case .up, .backTab: focus = (focus + fields.count - 1) % fields.count
        case .down, .tab: focus = (focus + 1) % fields.count
        case .left, .right:
            var f = fields[focus]
            switch f.kind {
            case let .choice(options):
                let i = options.firstIndex(of: f.value) ?? 0
                f.value = options[(i + (key == .right ? 1 : options.count - 1)) % options.count]
            case .toggle: f.value = f.value == "yes" ? "no" : "yes"
            default: break
            }
            fields[focus] = f
        case .char(" ") where { if case .toggle = fields[focus].kind { return true }; return false }():
            fields[focus].value = fields[focus].value == "yes" ? "no" : "yes"
        case .backspace, .delete:
            if case .text = fields[focus].kind { fields[focus].value = String(fields[focus].value.dropLast()) }
            else if case .integer = fields[focus].kind { fields[focus].value = String(fields[focus].value.dropLast()) }
            else if case .number = fields[focus].kind { fields[focus].value = String(fields[focus].value.dropLast()) }
        case .ctrl("u"):
            fields[focus].value = ""
        case let .char(c):
            switch fields[focus].kind {
            case .text: if fields[focus].value.count < 400 { fields[focus].value.append(c) }
            case .integer: if c.isNumber, fields[focus].value.count < 9 { fields[focus].value.append(c) }
            case .number: if (c.isNumber || c == "." || c == "e" || c == "-"), fields[focus].value.count < 12 { fields[focus].value.append(c) }
            default: break
            }
        default: break
        }
        error = nil
        return .none
    }

    public func validate() -> String? {
        for f in fields {
            switch f.kind {
            case .text: if f.value.trimmed.isEmpty { return "\(f.label) is empty" }
            case let .integer(allowed):
                guard let v = Int(f.value), allowed.contains(v) else { return "\(f.label) \(allowed.requirement)" }
            case let .number(allowed):
                guard let v = Double(f.value), allowed.contains(v) else { return "\(f.label) \(allowed.requirement)" }
            default: break
            }
        }
        return nil
    }
}
