import ArgumentParser
import ConvNet
import DigitData

/// The options of pen-stroke data (`--dataset unipen`): the brush that draws
/// each sample and which writers are scored; and the per-site, per-writer
/// report that `digits eval` adds for it.
struct PenOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "With --dataset unipen: the pen's diameter in pixels on the 28×28 canvas, 1.2 to 6 (default: the app's 2.8).")
    var brush: Float?

    @Flag(help: "With --dataset unipen: score every writer, not only the held-out ones (a model may have trained on the others).")
    var allWriters = false

    var brushRadius: Float { (brush ?? 2 * PenDigits.defaultBrushRadius) / 2 }
    var writers: PenDigits.Writers { allWriters ? .all : .heldOut }

    func check(dataset: Dataset?) throws {
        if let b = brush { try OptionRules.brush.check(b, option: "--brush") }
        if (brush != nil || allWriters) && dataset != .unipen {
            throw ValidationError("\(brush != nil ? "--brush" : "--all-writers") needs --dataset unipen (pen strokes)")
        }
    }

    func load(option: String?, limit: Int?) throws -> PenDigits {
        let dir = try DataLocator.directory(for: .unipen, option: option)
        return try PenDigits.load(from: dir, writers: writers, brushRadius: brushRadius, limit: limit)
    }

    /// Added to the first line of the report: which writers and which brush.
    func describe(_ pen: PenDigits) -> String {
        let writerCount = Set(zip(pen.sites, pen.writers).map { "\($0)/\($1)" }).count
        let noun = writerCount == 1 ? "writer" : "writers"
        return " of \(writerCount) \(allWriters ? "\(noun) (ALL: including those a model may have trained on)" : "held-out \(noun)"), brush \(Format.fixed(Double(2 * brushRadius), 1)) px"
            + (pen.blank > 0 ? "; \(pen.blank) samples left no ink and are not counted" : "")
    }

    func printScores(_ pen: PenDigits, _ e: Evaluation) {
        let (sites, writers) = pen.scores(predictions: e.predictions)
        func table(_ title: String, _ rows: [PenScore]) {
            print("")
            print(title)
            let width = max(8, rows.map(\.name.count).max() ?? 0) + 2
            print(Format.pad("", width) + ["accuracy", "errors", "samples"].map { Format.pad($0, 10, right: true) }.joined())
            for r in rows {
                print(Format.pad(Diagnostics.escaped(r.name), width) + Format.pad(Format.percent(r.accuracy), 10, right: true)
                      + Format.pad("\(r.errors)", 10, right: true) + Format.pad("\(r.count)", 10, right: true))
            }
        }
        table("per site (worst first)", sites)
        table("per writer (worst first)", writers)
    }

    func json(_ pen: PenDigits, _ e: Evaluation) -> [(String, JSON)] {
        let (sites, writers) = pen.scores(predictions: e.predictions)
        func rows(_ key: String, _ list: [PenScore]) -> JSON {
            .array(list.map { .object([(key, .string($0.name)), ("accuracy", .num($0.accuracy)), ("errors", .int($0.errors)), ("count", .int($0.count))]) })
        }
        return [("writers", .string(self.writers.rawValue)), ("brush", .num(Double(2 * brushRadius), 2)),
                ("blank", .int(pen.blank)), ("per_site", rows("site", sites)), ("per_writer", rows("writer", writers))]
    }
}
