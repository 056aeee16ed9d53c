import Glibc
import ConvNet

/// Reading a samples folder as it is, under its lock: the lines and the samples
/// they hold (damaged lines said and skipped), whether the IDX pair agrees with
/// them, or, without the lines, what the IDX pair holds.
extension SampleStore {
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

    /// The samples in the bytes of a `samples.jsonl` (the fuzz target's way in).
    public static func parse(_ bytes: [UInt8], directory: String) -> SampleSet {
        var snap = Snapshot(directory: directory)
        parse(bytes, into: &snap)
        return snap.set
    }

    fileprivate func readLines(into snap: inout Snapshot) {
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
        SampleStore.parse(bytes, into: &snap)
    }

    /// The lines of `samples.jsonl`: each complete line's sample, or why it is
    /// damaged; a last line without its newline is an interrupted save.
    static func parse(_ bytes: [UInt8], into snap: inout Snapshot) {
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
    fileprivate func indexDisagreement(_ samples: [Sample]) -> String? {
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
    fileprivate func salvageIndex(into snap: inout Snapshot) {
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
}
