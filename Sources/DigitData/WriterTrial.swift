import ConvNet

/// Issue 14's measure of teaching: a real writer's pen digits, drawn through
/// the app's canvas path, `perDigit` of each digit taught, that writer's other
/// digits read before and after. The writers are those the model reads worst
/// among the held-out ones (`WriterSplit`), which no shipped model trains on.
public struct WriterTrial: Sendable {
    public var site: String, writer: String
    /// The taught samples and the writer's other digits (network inputs).
    public var taught: LabeledImages, others: LabeledImages
    /// The model's accuracy on all of this writer's digits, which chose the writer.
    public var accuracy: Double

    /// Every pen sample drawn as the app draws it, grouped by writer, kept when
    /// the writer has more than `perDigit` of every digit; the `count` the
    /// network reads worst, worst first. Each writer's samples of a digit are
    /// shuffled (seeded) before the first `perDigit` are taken.
    public static func worstWriters(_ pen: [PenSample], network: Network, count: Int, perDigit: Int,
                                    heldOutOnly: Bool = true, seed: UInt64 = 1) -> [WriterTrial] {
        var byWriter: [String: [(digit: Int32, input: [Float], site: String, writer: String)]] = [:]
        for s in pen {
            guard let d = s.digit, !heldOutOnly || WriterSplit.isHeldOut(site: s.site, writer: s.writer),
                  let input = s.input() else { continue }
            byWriter["\(s.site)/\(s.writer)", default: []].append((Int32(d), input, s.site, s.writer))
        }
        let shape = Shape(28, 28, 1)
        var trials: [WriterTrial] = []
        for key in byWriter.keys.sorted() {
            let all = byWriter[key]!
            var byDigit = [[Int]](repeating: [], count: 10)
            for (i, s) in all.enumerated() { byDigit[Int(s.digit)].append(i) }
            guard byDigit.allSatisfy({ $0.count > perDigit }) else { continue }
            var rng = RNG(seed: seed ^ fnv(key))
            var taughtIdx: [Int] = [], otherIdx: [Int] = []
            for var members in byDigit {
                rng.shuffle(&members)
                taughtIdx += members.prefix(perDigit)
                otherIdx += members.dropFirst(perDigit)
            }
            func set(_ idx: [Int]) -> LabeledImages {
                LabeledImages(shape: shape, images: idx.flatMap { all[$0].input }, labels: idx.map { all[$0].digit })
            }
            let everything = set(Array(all.indices))
            let e = Evaluation(network: network, data: everything)
            trials.append(WriterTrial(site: all[0].site, writer: all[0].writer, taught: set(taughtIdx),
                                      others: set(otherIdx), accuracy: e.accuracy))
        }
        return Array(trials.sorted { ($0.accuracy, $0.site, $0.writer) < ($1.accuracy, $1.site, $1.writer) }.prefix(count))
    }

    private static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
