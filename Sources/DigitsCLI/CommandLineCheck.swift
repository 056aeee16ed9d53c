import ArgumentParser

/// Parses and validates an argument vector with the real commands without
/// running anything: what the fuzz target for the command line drives.
public enum CommandLineCheck {
    /// True when `arguments` name a command whose options all pass their checks.
    public static func parseAndValidate(_ arguments: [String]) -> Bool {
        (try? Digits.parseAsRoot(arguments)) != nil
    }
}
