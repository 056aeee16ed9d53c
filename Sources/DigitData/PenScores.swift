/// Accuracy on pen digits per recording site and per writer: a model that
/// reads most people well and one person badly is a model that fails that person.
public struct PenScore: Sendable, Equatable {
    /// The site, or "site/writer" (writer names are only unique within a site).
    public let name: String
    public let count: Int, correct: Int
    public var errors: Int { count - correct }
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
}

extension PenDigits {
    /// Scores per site and per writer of `predictions` (one class per image, in
    /// order), each list worst first (lowest accuracy, then most errors, then name).
    public func scores(predictions: [Int]) -> (sites: [PenScore], writers: [PenScore]) {
        precondition(predictions.count == count, "one prediction per image")
        var bySite: [String: (Int, Int)] = [:], byWriter: [String: (Int, Int)] = [:]
        for i in 0..<count {
            let right = predictions[i] == Int(images.labels[i]) ? 1 : 0
            bySite[sites[i], default: (0, 0)].0 += 1
            bySite[sites[i], default: (0, 0)].1 += right
            let w = "\(sites[i])/\(writers[i])"
            byWriter[w, default: (0, 0)].0 += 1
            byWriter[w, default: (0, 0)].1 += right
        }
        func sorted(_ d: [String: (Int, Int)]) -> [PenScore] {
            d.map { PenScore(name: $0.key, count: $0.value.0, correct: $0.value.1) }.sorted {
                ($0.accuracy, -$0.errors, $0.name) < ($1.accuracy, -$1.errors, $1.name)
            }
        }
        return (sorted(bySite), sorted(byWriter))
    }
}
