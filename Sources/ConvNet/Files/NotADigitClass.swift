extension WeightsMetadata {
    /// The metadata key that names the "not a digit" output (for callers that
    /// build metadata pairs themselves, such as `digits bench`).
    public static let notADigitClassKey = Key.notADigitClass

    /// The "not a digit" output of a model loaded from a file whose metadata is
    /// `meta`, checked against the model's `classes` outputs when the weights are
    /// loaded (`WeightsFile.network(from:)`), so that a file is refused once, with one
    /// line, rather than misread later: every reader of a verdict (the app, predict,
    /// eval) takes the outputs before it as the digits 0, 1, … in order, so it must be
    /// the last output and leave at least one digit. Nil: the model has no verdict.
    public static func checkNotADigitClass(_ meta: (String) -> String?, classes: Int) throws -> Int? {
        guard let text = meta(Key.notADigitClass) else { return nil }
        let c: Int
        do { c = try decodeNotADigitClass(text) } catch let e as MetadataProblem {
            throw SpecError("its metadata is invalid: \(e.description)")
        }
        guard classes >= 2 else {
            throw SpecError("its metadata names output \(c) \"not a digit\", but the model has \(classes) output: none is left for the digits")
        }
        guard c == classes - 1 else {
            throw SpecError("its metadata names output \(c) \"not a digit\"; it must be the model's last output, \(classes - 1)")
        }
        return c
    }
}
