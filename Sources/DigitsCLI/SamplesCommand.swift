import ArgumentParser
import ConvNet
import DigitData

/// `digits samples list | add | remove | export`: your labelled samples (the
/// store the app's labelling keys write to; `--dataset mine` trains on it).
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Your labelled samples: list, add pictures, remove, export.",
        discussion: "They live in $XDG_DATA_HOME/digits/mine (default ~/.local/share/digits/mine), or --samples DIR: samples.jsonl (one line per sample: its pen strokes, label and 28×28 image) and the same samples as an MNIST-style IDX pair, so `digits train --dataset mine` and `digits eval --dataset mine` read them.",
        subcommands: [SamplesList.self, SamplesAdd.self, SamplesRemove.self, SamplesExport.self])
}

/// `--samples DIR`, shared by the samples subcommands.
struct SamplesOptions: ParsableArguments {
    @Option(help: "The samples folder (default: $XDG_DATA_HOME/digits/mine).") var samples: String?

    func validate() throws {
        if let s = samples, s.isEmpty { throw ValidationError("--samples needs a directory, not an empty string") }
    }

    var store: SampleStore { SampleStore(option: samples) }

    /// The store's contents; a damaged folder's one line goes to stderr and the
    /// command carries on with the good samples.
    func read() throws -> SampleSet {
        let set = try store.read()
        if let p = set.problem { Diagnostics.printLine(p) }
        return set
    }
}

/// "12 samples (0: 2, 1: 2, 2: 1 …)": every digit, so the gaps show.
func countsLine(_ set: SampleSet) -> String {
    "\(Format.thousands(set.count)) sample\(set.count == 1 ? "" : "s") ("
        + set.counts.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", ") + ")"
}

func countsJSON(_ set: SampleSet) -> [(String, JSON)] {
    [("directory", .string(set.directory)), ("count", .int(set.count)), ("counts", .array(set.counts.map(JSON.int)))]
}

struct SamplesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "How many samples of each digit; with --all, every sample and its index.")

    @OptionGroup var options: SamplesOptions
    @Flag(help: "Also list every sample: index (for `samples remove`), digit, strokes.") var all = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let set = try options.read()
        if json {
            var fields = countsJSON(set) + [("problem", set.problem.map(JSON.string) ?? .null)]
            if all {
                fields.append(("samples", .array(set.samples.enumerated().map { i, s in
                    .object([("index", .int(i)), ("label", .int(s.label)), ("strokes", .int(s.strokes.count)),
                             ("points", .int(s.strokes.reduce(0) { $0 + $1.count })), ("id", .string(s.id))])
                })))
            }
            printJSON(.object(fields))
            return
        }
        print("\(Diagnostics.escaped(set.directory)): \(countsLine(set))")
        guard all else { return }
        print(Format.pad("index", 7, right: true) + Format.pad("digit", 7, right: true) + Format.pad("strokes", 9, right: true) + "  id")
        for (i, s) in set.samples.enumerated() {
            print(Format.pad("\(i)", 7, right: true) + Format.pad("\(s.label)", 7, right: true)
                  + Format.pad(s.strokes.isEmpty ? "-" : "\(s.strokes.count)", 9, right: true) + "  \(s.id)")
        }
    }
}

struct SamplesAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add pictures (PNG, JPEG, PGM) of one digit as samples, prepared exactly as `digits predict` prepares them.",
        discussion: "All pictures are added or none: if one cannot be read, nothing is saved.")

    @OptionGroup var options: SamplesOptions
    @Flag(help: "Print one JSON object.") var json = false
    @Argument(help: "The digit the pictures show, 0 to 9.") var label: String
    @Argument(help: "Picture files.") var images: [String] = []

    /// The label, checked in `validate`.
    var digit: Int { Int(label)! }

    func validate() throws {
        guard label.count == 1, let d = Int(label), (0...9).contains(d) else {
            throw ValidationError("the label must be a digit 0 to 9, not '\(label)'")
        }
        if images.isEmpty { throw ValidationError("name at least one picture") }
    }

    func run() throws {
        var new: [Sample] = []
        for file in images {
            do { new.append(try Sample(label: digit, input: try PictureInput.prepare(file).prepared.pixels)) }
            catch { throw UserError("\((error as? Reportable)?.message ?? "\(error)") (nothing added)") }
        }
        let store = options.store
        if let p = try store.read().problem { Diagnostics.printLine(p) }
        let set = try store.add(new)
        if json {
            printJSON(.object([("added", .int(new.count)), ("label", .int(digit))] + countsJSON(set)))
        } else {
            print("saved \(new.count) sample\(new.count == 1 ? "" : "s") of \(digit) in \(Diagnostics.escaped(set.directory)): now \(countsLine(set))")
        }
    }
}

struct SamplesRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove one sample: its index in `samples list --all`, or --last.")

    @OptionGroup var options: SamplesOptions
    @Flag(help: "Remove the sample saved last.") var last = false
    @Argument(help: "The sample's index, as `digits samples list --all` shows it.") var index: Int?

    func validate() throws {
        switch (index, last) {
        case (nil, false): throw ValidationError("name the sample to remove: its index (see `digits samples list --all`) or --last")
        case (.some, true): throw ValidationError("give an index or --last, not both")
        case let (.some(i), false) where i < 0: throw ValidationError("a sample index is 0 or more, not \(i)")
        default: break
        }
    }

    func run() throws {
        let store = options.store
        if let p = try store.read().problem { Diagnostics.printLine(p) }
        let removed: Sample
        if let i = index { removed = try store.remove(at: i) }
        else {
            guard let r = try store.removeLast() else { throw UserError("there are no samples in \(store.directory)") }
            removed = r
        }
        let set = try store.read()
        print("removed a sample of \(removed.label) (id \(removed.id)) from \(Diagnostics.escaped(set.directory)): now \(countsLine(set))")
    }
}

struct SamplesExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Copy the samples into a new or empty directory: the IDX pair, samples.jsonl and one PNG per sample.")

    @OptionGroup var options: SamplesOptions
    @Argument(help: "A new or empty directory.") var directory: String

    func validate() throws {
        if directory.isEmpty { throw ValidationError("name the directory to export into") }
    }

    func run() throws {
        let set = try options.store.export(to: directory)
        if let p = set.problem { Diagnostics.printLine(p) }
        print("exported \(countsLine(set)) to \(Diagnostics.escaped(directory)): \(SampleStore.imagesName), \(SampleStore.labelsName), \(SampleStore.journalName), png/")
    }
}

// A sample that cannot be made or stored (a label outside 0–9, no such index) is bad input.
extension SampleError: Reportable { var exitCode: Int32 { 1 }; var message: String { description } }

/// `--dataset mine` on a damaged samples folder: its one line, then the good samples are used.
func noteSampleProblems(_ dataset: Dataset, in dir: String) {
    guard dataset == .mine, let p = (try? SampleStore(directory: dir).read())?.problem else { return }
    Diagnostics.printLine(p)
}
