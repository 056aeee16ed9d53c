/// Which writers of a pen-stroke data set are kept apart: a model is trained on
/// the others and judged on these, so a score is always on handwriting it never
/// saw (split by writer, never by sample). Decided by a stable hash of the site
/// and writer, so every command, test and benchmark draws the same line, and a
/// writer is on the same side in the digits and in the letters.
public enum WriterSplit {
    /// One writer in `heldOutOneIn` is held out.
    public static let heldOutOneIn: UInt64 = 4

    public static func isHeldOut(site: String, writer: String) -> Bool {
        fnv1a(site + "/" + writer) % heldOutOneIn == 0
    }

    /// FNV-1a, 64 bit: stable across runs and platforms (Swift's own hash is seeded per process).
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
