import Glibc
import ConvNet

extension SampleStore {
    /// Writes a copy of the good samples into `dir` (made if missing; it must be
    /// empty, so nothing of yours is overwritten): the IDX pair, `samples.jsonl`
    /// (a store of its own: `--samples DIR` and `--dataset mine --data DIR` read
    /// it) and `png/NNNNN-L.png`, one 28×28 picture per sample (index, label).
    /// Returns what was exported.
    @discardableResult
    public func export(to dir: String) throws -> SampleSet {
        if SampleStore.exists(dir) {
            guard isDirectory(dir) else { throw FileError(dir, "is not a directory") }
            guard let d = opendir(dir) else { throw FileError(dir, "cannot read: \(errnoText())") }
            defer { closedir(d) }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard name == "." || name == ".." else {
                    throw FileError(dir, "is not empty; export into a new or empty directory (nothing is overwritten)")
                }
            }
        }
        let set = try read()
        try AtomicFile.makeDirectory(dir + "/png")
        let copy = SampleStore(directory: dir)
        try copy.add(set.samples)
        unlink(copy.lockPath)
        for (i, s) in set.samples.enumerated() {
            let index = String(i)
            let name = String(repeating: "0", count: max(0, 5 - index.count)) + index + "-\(s.label).png"
            try ImageIO.writePNG(s.image, width: Sample.side, height: Sample.side, channels: 1, to: "\(dir)/png/\(name)")
        }
        return set
    }
}
