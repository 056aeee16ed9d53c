import ConvNet

/// Weights files made to attack the readers of class scores.
enum CraftedWeights {
    /// Finite for a blank and a full image (so they pass the load check) but
    /// overflowing on a drawn digit: one hidden unit is 3e38 × (centre pixel −
    /// corner pixel), and every class score doubles it.
    static func overflowingOnInk(to path: String, metadata: [(String, String)] = []) throws {
        let net = try Network(spec: "in28x28x1-flatten-dense1-relu-dense10")
        let params = Dictionary(uniqueKeysWithValues: net.namedParameters.map { ($0.name, $0.parameter) })
        params["fc1.weight"]!.value[14 * 28 + 14] = 3e38
        params["fc1.weight"]!.value[0] = -3e38
        for c in 0..<10 { params["fc2.weight"]!.value[c] = 2 }
        try WeightsFile.save(net, metadata: metadata, to: path)
    }
}
