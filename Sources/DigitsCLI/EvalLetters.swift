import ArgumentParser
import ConvNet
import DigitData

/// `digits eval --dataset letters`: how many pen-written letters a verdict model
/// does NOT take for a digit (issue 13's measure), per letter and overall, on the
/// held-out writers of `unipen/letters.jsonl.gz`, without the digit-like letters.
enum EvalLetters {
    static func run(_ network: Network, path: String, notADigitClass: Int?, option: String?, limit: Int?, json: Bool) throws {
        guard let c = notADigitClass else {
            throw UserError("\(path): \(DigitReading.noVerdict); --dataset letters measures how many letters a model with one does not take for digits", code: 2)
        }
        guard network.inputShape == Shape(Canvas.size, Canvas.size, 1) else {
            throw UserError("\(path): --dataset letters needs a 28×28 model; this one takes \(network.inputShape)", code: 2)
        }
        let dir = try DataLocator.directory(for: .letters, option: option)
        let samples = try LetterRejection.samples(in: dir, limit: limit)
        let writers = Set(samples.map { "\($0.site)/\($0.writer)" }).count
        let start = now()
        let r = LetterRejection(network, notADigitClass: c, samples: samples)
        let seconds = now() - start
        let t = r.overall
        let excluded = PenStrokes.digitLikeLetters.sorted()
        if json {
            printJSON(.object([
                ("weights", .string(path)), ("model", network.name.map(JSON.string) ?? .string(network.spec)),
                ("dataset", .string(Dataset.letters.rawValue)), ("count", .int(t.total)), ("writers", .int(writers)),
                ("blank", .int(r.blank)), ("excluded", .array(excluded.map(JSON.string))),
                ("not_digit", .num(t.notAccepted)), ("verdict", EvalVerdict.json(t)),
                ("per_letter", .array(r.perLetter.map { l in
                    .object([("letter", .string(l.letter)), ("count", .int(l.tally.total)), ("not_digit", .num(l.tally.notAccepted)),
                             ("unsure", .num(l.tally.share(.unsure))), ("not_a_digit", .num(l.tally.share(.notADigit)))])
                })),
                ("seconds", .num(seconds, 3)),
            ]))
            return
        }
        print("\(Diagnostics.escaped(path)) (\(network.name ?? "custom"), \(Format.thousands(network.parameterCount)) parameters) on \(Format.thousands(t.total)) pen-written letters of \(writers) held-out writers"
              + (r.blank > 0 ? "; \(r.blank) left no ink and are not counted" : ""))
        print("digit-like letters left out: \(excluded.joined(separator: " "))")
        print("not taken for a digit: \(Format.percent(t.notAccepted))   (unsure \(Format.percent(t.share(.unsure))), not a digit \(Format.percent(t.share(.notADigit))); accepted as a digit \(Format.percent(t.share(.digit))))   (\(Format.fixed(seconds, 2)) s)")
        print("")
        print("letter" + ["not digit", "unsure", "not a digit", "samples"].map { Format.pad($0, 13, right: true) }.joined())
        for l in r.perLetter {
            print(Format.pad(l.letter, 6) + [Format.percent(l.tally.notAccepted), Format.percent(l.tally.share(.unsure)),
                                              Format.percent(l.tally.share(.notADigit)), Format.thousands(l.tally.total)]
                .map { Format.pad($0, 13, right: true) }.joined())
        }
    }
}
