import Foundation
import ConvNet
import Glibc

/// Where the data sets live: `--data DIR`, else `$DIGITS_DATA`, else
/// `$XDG_DATA_HOME/digits/<dataset>` (default ~/.local/share/digits/<dataset>).
/// A directory given by option or variable may hold the files itself or a
/// `<dataset>` subdirectory that does.
public enum Dataset: String, CaseIterable, Sendable {
    case mnist, optdigits
    /// Pen strokes of real writers (`unipen/digits.jsonl.gz`, see `PenDigits`).
    case unipen
    /// Pen-written letters (`unipen/letters.jsonl.gz`): not digits, only for
    /// measuring how many of them a verdict model rejects (`LetterRejection`).
    case letters

    /// Your labelled samples (`SampleStore`).
    case mine

    /// The subdirectory that may hold its files: the letters sit beside the pen digits.
    var directoryName: String { self == .letters ? Dataset.unipen.rawValue : rawValue }

    func present(in dir: String) -> Bool {
        switch self {
        case .mnist: MNIST.hasFiles(in: dir)
        case .optdigits: Optdigits.hasFiles(in: dir)
        case .unipen: PenDigits.hasFiles(in: dir)
        case .letters: LetterRejection.hasFiles(in: dir)
        case .mine: SampleStore.present(in: dir)
        }
    }

    /// The files whose presence makes a directory hold this data set (one of
    /// each MNIST file, compressed or raw, is enough): where one of these exists
    /// but is not a regular file, a "not found" says so.
    var fileNames: [String] {
        switch self {
        case .mnist:
            MNIST.Split.allCases.flatMap { s in [MNIST.fileNames(s).images, MNIST.fileNames(s).labels] }.flatMap { [$0 + ".gz", $0] }
        case .optdigits: [Optdigits.trainFile, Optdigits.testFile]
        case .unipen: [PenDigits.file]
        case .letters: [LetterRejection.file]
        case .mine: [SampleStore.journalName, SampleStore.imagesName]
        }
    }

    /// Split by writer, never by sample: its test set is its held-out writers, so
    /// pooling and re-splitting by sample (`cv`, `train --holdout`) is refused.
    public var splitsByWriter: Bool { self == .unipen }

    /// What to do when the files are not found.
    var advice: String {
        switch self {
        case .mnist: "run `digits fetch-mnist`, or pass --data DIR"
        case .optdigits: "pass --data DIR holding optdigits.tra and optdigits.tes"
        case .unipen: "pass --data DIR holding \(PenDigits.file) (or unipen/\(PenDigits.file))"
        case .letters: "pass --data DIR holding \(LetterRejection.file) (or unipen/\(LetterRejection.file))"
        case .mine: "label drawings in the app or add pictures with `digits samples add`, or pass --data DIR"
        }
    }
}

public enum DataLocator {
    public static func xdgDirectory(for dataset: Dataset) -> String {
        "\(XDG.dataHome(ProcessInfo.processInfo.environment))/digits/\(dataset.directoryName)"
    }

    /// The candidate directories in the order they are tried.
    public static func candidates(for dataset: Dataset, option: String?) -> [String] {
        var roots: [String] = []
        if let o = option { roots.append(o) }
        else if let e = ProcessInfo.processInfo.environment["DIGITS_DATA"], !e.isEmpty { roots.append(e) }
        var dirs = roots.flatMap { [$0, "\($0)/\(dataset.directoryName)"] }
        if option == nil { dirs.append(xdgDirectory(for: dataset)) }
        return dirs
    }

    /// The first candidate holding the data set's files, or an error naming every place tried.
    public static func directory(for dataset: Dataset, option: String?) throws -> String {
        let dirs = candidates(for: dataset, option: option)
        if let d = dirs.first(where: { dataset.present(in: $0) }) { return d }
        // A FIFO or a directory of the right name is skipped like a missing file,
        // but the message names it: "not found" beside it would be a riddle.
        let odd = dirs.lazy.flatMap { d in dataset.fileNames.map { "\(d)/\($0)" } }.first { pathExists($0) && !isRegularFile($0) }
        throw DataNotFound(dataset: dataset, searched: dirs, advice: dataset.advice, notARegularFile: odd)
    }
}

public struct DataNotFound: Error, CustomStringConvertible {
    public let dataset: Dataset, searched: [String], advice: String
    /// A file of the data set's name that is something else (a FIFO, a directory).
    public var notARegularFile: String? = nil
    public var description: String {
        let odd = notARegularFile.map { "; \($0.escapedForMessage(limit: 300)) is not a regular file" } ?? ""
        return "no \(dataset.rawValue) data found (looked in \(searched.map { $0.escapedForMessage(limit: 300) }.joined(separator: ", "))\(odd)): \(advice)"
    }
}

public func isRegularFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

/// Something is at `path` (a file, a directory, a FIFO…), following links.
func pathExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
}

public func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
