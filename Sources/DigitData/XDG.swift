/// The XDG base directory rule for data: `$XDG_DATA_HOME` when it is set to an
/// absolute path (the specification says a relative one is invalid and must be
/// ignored), else `$HOME/.local/share`.
public enum XDG {
    public static func dataHome(_ environment: [String: String]) -> String {
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") { return x }
        return "\(environment["HOME"] ?? ".")/.local/share"
    }
}
