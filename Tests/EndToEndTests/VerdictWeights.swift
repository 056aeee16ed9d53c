import ConvNet

/// Weights files whose class scores do not depend on the picture: every weight 0,
/// the biases the logits. They say one chosen verdict for anything, so that every
/// wording of it can be checked without training a model.
enum VerdictWeights {
    /// An 11-output model ("not a digit" = output 10) whose probabilities are softmax(`logits`).
    static func constant(_ logits: [Float], to path: String, notADigitClass: String? = "10") throws {
        let net = try Network(spec: "in28x28x1-flatten-dense\(logits.count)")
        let params = Dictionary(uniqueKeysWithValues: net.namedParameters.map { ($0.name, $0.parameter) })
        let w = params["fc1.weight"]!, b = params["fc1.bias"]!
        for i in 0..<w.count { w.value[i] = 0 }
        for (i, v) in logits.enumerated() { b.value[i] = v }
        try WeightsFile.save(net, metadata: notADigitClass.map { [("not_a_digit_class", $0)] } ?? [], to: path)
    }

    /// Logits of 11 outputs, 0 but those given.
    static func logits(_ set: [Int: Float], count: Int = 11) -> [Float] {
        (0..<count).map { set[$0] ?? 0 }
    }

    /// A digit, sure: 7 at 99 %.
    static let sevenLogits = logits([7: 8])
    /// Unsure between 5 and 9 (about 45 % each; 5 first).
    static let fiveOrNineLogits = logits([5: 4.01, 9: 4])
    /// Not a digit at 99 %.
    static let notADigitLogits = logits([10: 8])
}
