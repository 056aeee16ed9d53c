import Foundation
import ConvNet
import Glibc

/// Where the data sets live: `--data DIR`, else `$DIGITS_DATA`, else
/// `$XDG_DATA_HOME/digits/<dataset>` (default ~/.local/share/digits/<dataset>).
/// A directory given by option or variable may hold the files itself or a
/// `<dataset>` subdirectory that does.
public enum Dataset: String, CaseIterable, Sendable {
    /// `mine`: your labelled samples (`SampleStore`).
    case mnist, optdigits, mine
    /// Pen strokes of real writers (`unipen/digits.jsonl.gz`, see `PenDigits`).
    case unipen

    func present(in dir: String) -> Bool {
        switch self {
        case .mnist: MNIST.hasFiles(in: dir)
        case .optdigits: Optdigits.hasFiles(in: dir)
        case .mine: SampleStore.present(in: dir)
        case .unipen: PenDigits.hasFiles(in: dir)
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
        case .mine: "label drawings in the app or add pictures with `digits samples add`, or pass --data DIR"
        case .unipen: "pass --data DIR holding \(PenDigits.file) (or unipen/\(PenDigits.file))"
        }
    }
}

public enum DataLocator {
    public static func xdgDirectory(for dataset: Dataset) -> String {
        "\(XDG.dataHome(ProcessInfo.processInfo.environment))/digits/\(dataset.rawValue)"
    }

    /// The candidate directories in the order they are tried.
    public static func candidates(for dataset: Dataset, option: String?) -> [String] {
        var roots: [String] = []
        if let o = option { roots.append(o) }
        else if let e = ProcessInfo.processInfo.environment["DIGITS_DATA"], !e.isEmpty { roots.append(e) }
        var dirs = roots.flatMap { [$0, "\($0)/\(dataset.rawValue)"] }
        if option == nil { dirs.append(xdgDirectory(for: dataset)) }
        return dirs
    }

    /// The first candidate holding the data set's files, or an error naming every place tried.
    public static func directory(for dataset: Dataset, option: String?) throws -> String {
        let dirs = candidates(for: dataset, option: option)
        if let d = dirs.first(where: { dataset.present(in: $0) }) { return d }
        throw DataNotFound(dataset: dataset, searched: dirs, advice: dataset.advice)
    }
}

public struct DataNotFound: Error, CustomStringConvertible {
    public let dataset: Dataset, searched: [String], advice: String
    public var description: String {
        "no \(dataset.rawValue) data found (looked in \(searched.joined(separator: ", "))): \(advice)"
    }
}

public func isRegularFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

public func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
