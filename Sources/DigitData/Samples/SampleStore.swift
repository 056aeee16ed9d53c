import Glibc
import ConvNet

/// Your labelled samples, kept safe: a folder (default
/// `$XDG_DATA_HOME/digits/mine/`) holding
///
/// * `samples.jsonl` — the truth: one line per sample (`SampleLine`: the
///   pen-stroke line format plus the sample's id and 28×28 image), only ever
///   appended to, or replaced whole (temp file, fsync, rename) to remove one;
/// * `images-idx3-ubyte`, `labels-idx1-ubyte` — the same samples as an MNIST-style
///   IDX pair, rebuilt from the lines at every change (each written atomically);
/// * `.lock` — the flock every read and every read-modify-write holds.
///
/// Why it survives kill -9 at any moment: each change writes the IDX pair first
/// and commits with one fsync'd append (or one rename) of `samples.jsonl`
/// last. Killed before the commit, the change did not happen (and was not said
/// to); killed after, it did; a half-written last line is an interrupted save,
/// ignored when read and cut off by the next save. An IDX pair that disagrees
/// with the lines is out of date, said so, and rebuilt by the next save.
/// A damaged folder is read as far as it is sound: every good line is kept, and
/// one line (`SampleSet.problem`) says what was wrong.
public struct SampleStore: Sendable {
    public let directory: String

    public static let journalName = "samples.jsonl"
    public static let imagesName = "images-idx3-ubyte"
    public static let labelsName = "labels-idx1-ubyte"
    static let lockName = ".lock"

    public enum Limits {
        /// Samples read or kept: a person labelling all day makes a few thousand.
        public static let samples = 100_000
        /// Largest `samples.jsonl` read (100,000 app drawings take about 300 MB).
        public static let journalBytes = 512 << 20
    }

    public init(directory: String) { self.directory = directory }

    /// `--samples DIR`, else the default folder.
    public init(option: String?) { self.init(directory: option ?? SampleStore.defaultDirectory) }

    /// `$XDG_DATA_HOME/digits/mine` (XDG's rule), the place `--dataset mine` also looks.
    public static var defaultDirectory: String { DataLocator.xdgDirectory(for: .mine) }

    public var journalPath: String { "\(directory)/\(SampleStore.journalName)" }
    public var imagesPath: String { "\(directory)/\(SampleStore.imagesName)" }
    public var labelsPath: String { "\(directory)/\(SampleStore.labelsName)" }
    var lockPath: String { "\(directory)/\(SampleStore.lockName)" }

    /// Whether the folder holds samples in any form (the lines or an IDX pair).
    public static func present(in dir: String) -> Bool {
        let s = SampleStore(directory: dir)
        return exists(s.journalPath) || exists(s.imagesPath)
    }

    // MARK: reading

    /// Every good sample, in the order saved, and one line on what was wrong, if
    /// anything. A missing folder is an empty store. Throws only when the folder
    /// cannot be looked at (not a directory, no permission).
    public func read() throws -> SampleSet {
        guard SampleStore.exists(directory) else { return SampleSet(directory: directory, samples: [], problem: nil) }
        guard isDirectory(directory) else { throw FileError(directory, "is not a directory; the samples folder must be one") }
        let lock = try StoreLock(lockPath, exclusive: false)
        defer { withExtendedLifetime(lock) {} }
        return try snapshot().set
    }

    // MARK: changing

    /// Adds samples, all or none: "saved" may be said when this returns.
    @discardableResult
    public func add(_ new: [Sample]) throws -> SampleSet {
        try AtomicFile.makeDirectory(directory)
        let lock = try StoreLock(lockPath, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        let snap = try snapshot()
        try snap.checkChangeable()
        let all = snap.samples + new
        guard all.count <= Limits.samples else {
            throw SampleError("\(directory) holds \(snap.samples.count) samples; \(new.count) more would pass the limit of \(Limits.samples)")
        }
        try saving {
            try writeIndex(all)
            if snap.journal == nil {
                // The lines were missing (the samples came from the IDX pair): written whole.
                try AtomicFile.write(all.map { SampleLine.encode($0) + "\n" }.joined(), to: journalPath)
            } else {
                try append(Array(new.map { SampleLine.encode($0) + "\n" }.joined().utf8), at: snap.completeLength)
            }
        }
        return SampleSet(directory: directory, samples: all, problem: nil)
    }

    /// Removes the sample with this id; nil (and nothing changed) when it is not there.
    @discardableResult
    public func remove(id: String) throws -> Sample? {
        try change { snap in snap.samples.firstIndex { $0.id == id } }
    }

    /// Removes the sample at `index` of the list (`read().samples`).
    @discardableResult
    public func remove(at index: Int) throws -> Sample {
        var count = 0
        let removed = try change { snap in
            count = snap.samples.count
            return snap.samples.indices.contains(index) ? index : nil
        }
        guard let r = removed else {
            throw SampleError(count == 0 ? "there are no samples in \(directory)"
                                         : "no sample \(index): the samples are numbered 0 to \(count - 1)")
        }
        return r
    }

    /// Removes the last sample saved; nil when there is none.
    @discardableResult
    public func removeLast() throws -> Sample? {
        try change { snap in snap.samples.isEmpty ? nil : snap.samples.count - 1 }
    }

    /// Removes the sample `choose` picks from the current samples: the IDX pair
    /// first, then the lines replaced whole (the commit). Damaged lines are kept
    /// as they are: removing one sample never loses another, not even a damaged one.
    private func change(_ choose: (Snapshot) -> Int?) throws -> Sample? {
        guard SampleStore.exists(directory) else { return nil }
        let lock = try StoreLock(lockPath, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        let snap = try snapshot()
        guard let index = choose(snap) else { return nil }
        try snap.checkChangeable()
        var kept = snap.samples
        let removed = kept.remove(at: index)
        try saving {
            try writeIndex(kept)
            var text: [UInt8] = []
            if let journal = snap.journal {
                let skip = snap.lineOfSample[index]
                for (i, r) in snap.lines.enumerated() where i != skip { text += journal[r]; text.append(0x0A) }
            } else {
                text = Array(kept.map { SampleLine.encode($0) + "\n" }.joined().utf8)
            }
            try AtomicFile.write(text, to: journalPath)
        }
        return removed
    }

    /// A failed save says so, and that nothing changed.
    private func saving(_ body: () throws -> Void) throws {
        do { try body() } catch let e as FileError {
            throw FileError(e.path, "\(e.message): not saved, the samples are as they were")
        }
    }

    /// Appends `bytes` after the last complete line (cutting off an interrupted
    /// save's partial line), then fsync: the commit of `add`. On failure the file
    /// is cut back, so no partial line is left.
    private func append(_ bytes: [UInt8], at offset: Int) throws {
        let created = !SampleStore.exists(journalPath)
        let fd = open(journalPath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else { throw FileError(journalPath, "cannot write: \(errnoText())") }
        defer { close(fd) }
        func fail() -> FileError {
            let why = errnoText()
            _ = ftruncate(fd, off_t(offset)); _ = fsync(fd)
            return FileError(journalPath, "cannot write: \(why)")
        }
        if ftruncate(fd, off_t(offset)) != 0 { throw fail() }
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let r = pwrite(fd, raw.baseAddress! + written, raw.count - written, off_t(offset + written))
                if r < 0 { if errno == EINTR { continue }; throw fail() }
                if r == 0 { errno = ENOSPC; throw fail() }
                written += r
            }
        }
        if fsync(fd) != 0 { throw fail() }
        if created {
            let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 { fsync(dfd); close(dfd) }
        }
    }

    /// The IDX pair of `samples`, each file replaced atomically.
    private func writeIndex(_ samples: [Sample]) throws {
        let n = samples.count
        func header(_ type: UInt8, _ dims: [Int]) -> [UInt8] {
            [0, 0, 0x08, type] + dims.flatMap { d in (0..<4).map { UInt8(truncatingIfNeeded: d >> (24 - 8 * $0)) } }
        }
        try AtomicFile.write(header(3, [n, Sample.side, Sample.side]) + samples.flatMap(\.image), to: imagesPath)
        try AtomicFile.write(header(1, [n]) + samples.map { UInt8($0.label) }, to: labelsPath)
    }

    // MARK: the folder as it is

    /// The folder read under the lock: the lines and the samples they hold, or the
    /// samples salvaged from the IDX pair when there are no lines.
    struct Snapshot {
        var journal: [UInt8]?            // nil: no samples.jsonl
        var lines: [Range<Int>] = []     // every complete line, without its newline
        var completeLength = 0           // bytes up to the last newline
        var samples: [Sample] = []
        var lineOfSample: [Int] = []     // index into `lines` of each sample
        var problems: [String] = []
        /// Why the lines cannot be changed safely (unreadable: a rewrite would lose them).
        var unchangeable: String?
        let directory: String

        var set: SampleSet {
            SampleSet(directory: directory, samples: samples,
                      problem: problems.isEmpty ? nil : "\(directory): \(problems.joined(separator: "; ")); \(samples.count) sample\(samples.count == 1 ? "" : "s") kept")
        }

        func checkChangeable() throws {
            if let why = unchangeable { throw FileError(directory, "\(why); not changed, to keep what is there (move the file away to start afresh)") }
        }
    }

    func snapshot() throws -> Snapshot {
        var snap = Snapshot(directory: directory)
        if SampleStore.exists(journalPath) {
            readLines(into: &snap)
            if snap.unchangeable == nil, let stale = indexDisagreement(snap.samples) {
                snap.problems.append("the IDX pair is out of date (\(stale)): it is rebuilt from \(SampleStore.journalName) at the next save")
            }
        } else if SampleStore.exists(imagesPath) || SampleStore.exists(labelsPath) {
            salvageIndex(into: &snap)
        }
        if snap.samples.count > Limits.samples {
            snap.problems.append("\(snap.samples.count) samples, over the limit of \(Limits.samples): only the first \(Limits.samples) are read")
            snap.samples.removeLast(snap.samples.count - Limits.samples)
            snap.unchangeable = "it holds more than \(Limits.samples) samples"
        }
        return snap
    }

    private func readLines(into snap: inout Snapshot) {
        let bytes: [UInt8]
        do {
            let file = try InputFile(journalPath, limit: Limits.journalBytes)
            var b = [UInt8](repeating: 0, count: file.size)
            let got = try b.withUnsafeMutableBytes { try file.fill($0) }
            bytes = Array(b[0..<got])
        } catch {
            snap.problems.append("\(error)")
            snap.unchangeable = "\(SampleStore.journalName) cannot be read"
            return
        }
        snap.journal = bytes
        var start = 0, damaged: [(line: Int, why: String)] = []
        for (i, b) in bytes.enumerated() where b == 0x0A {
            snap.lines.append(start..<i)
            start = i + 1
        }
        snap.completeLength = start
        for (k, r) in snap.lines.enumerated() where bytes[r].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
            do {
                snap.samples.append(try SampleLine.decode(bytes[r]))
                snap.lineOfSample.append(k)
            } catch {
                damaged.append((k + 1, "\(error)"))
            }
        }
        if let first = damaged.first {
            snap.problems.append("\(SampleStore.journalName) line \(first.line) is damaged (\(first.why))"
                                 + (damaged.count > 1 ? " and \(damaged.count - 1) more line\(damaged.count > 2 ? "s" : "")" : "")
                                 + (damaged.count > 1 ? " are skipped" : " and is skipped"))
        }
        if start < bytes.count {
            snap.problems.append("its last line is incomplete (a save was interrupted) and is ignored")
        }
    }

    /// Why the IDX pair does not hold exactly `samples`, or nil when it does.
    private func indexDisagreement(_ samples: [Sample]) -> String? {
        guard SampleStore.exists(imagesPath) || SampleStore.exists(labelsPath) else {
            return samples.isEmpty ? nil : "missing"
        }
        do {
            let images = try IDXArray.read(imagesPath), labels = try IDXArray.read(labelsPath)
            guard images.dimensions == [images.dimensions[0], Sample.side, Sample.side] else {
                return "\(SampleStore.imagesName) holds \(images.dimensions) instead of N×28×28"
            }
            guard labels.dimensions.count == 1 else { return "\(SampleStore.labelsName) is not a label file" }
            let n = images.dimensions[0]
            guard n == labels.dimensions[0] else { return "\(n) images but \(labels.dimensions[0]) labels" }
            guard n == samples.count else { return "\(n) samples instead of \(samples.count)" }
            guard labels.bytes == samples.map({ UInt8($0.label) }), images.bytes == samples.flatMap(\.image) else {
                return "its samples differ from the lines"
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// No lines: keep what the IDX pair holds, as far as it is sound (the first
    /// N pairs when the counts disagree; labels outside 0–9 skipped).
    private func salvageIndex(into snap: inout Snapshot) {
        snap.problems.append("\(SampleStore.journalName) is missing: the samples are read from the IDX pair, without strokes")
        do {
            let images = try IDXArray.read(imagesPath), labels = try IDXArray.read(labelsPath)
            guard images.dimensions.count == 3, images.dimensions[1] == Sample.side, images.dimensions[2] == Sample.side else {
                throw FileError(imagesPath, "holds \(images.dimensions) instead of N×28×28")
            }
            guard labels.dimensions.count == 1 else { throw FileError(labelsPath, "is not a label file (one dimension)") }
            let n = min(images.dimensions[0], labels.dimensions[0])
            if images.dimensions[0] != labels.dimensions[0] {
                snap.problems.append("\(images.dimensions[0]) images but \(labels.dimensions[0]) labels: the first \(n) are kept")
            }
            var skipped = 0
            for i in 0..<n {
                let image = Array(images.bytes[(i * Sample.pixelCount)..<((i + 1) * Sample.pixelCount)])
                if let s = try? Sample(label: Int(labels.bytes[i]), image: image, id: "idx-\(i)") { snap.samples.append(s) } else { skipped += 1 }
            }
            if skipped > 0 { snap.problems.append("\(skipped) labels outside 0–9 skipped") }
        } catch {
            snap.problems.append("\(error)")
            snap.unchangeable = "its IDX pair cannot be read"
        }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}

/// What the store holds: the good samples, in the order saved, and one line on
/// what was wrong with the folder (nil when nothing was).
public struct SampleSet: Sendable {
    public let directory: String
    public let samples: [Sample]
    public let problem: String?

    public init(directory: String, samples: [Sample], problem: String?) {
        self.directory = directory; self.samples = samples; self.problem = problem
    }

    public var count: Int { samples.count }

    /// How many samples of each digit 0–9.
    public var counts: [Int] {
        var c = [Int](repeating: 0, count: 10)
        for s in samples { c[s.label] += 1 }
        return c
    }

    /// The samples as a data set (bytes / 255, 28×28×1), in order.
    public var labeledImages: LabeledImages {
        LabeledImages(shape: Shape(Sample.side, Sample.side, 1), bytes: samples.flatMap(\.image), scale: 1 / 255,
                      labels: samples.map { Int32($0.label) })
    }
}
