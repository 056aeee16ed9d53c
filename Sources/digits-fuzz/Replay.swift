import Glibc
import ConvNet

#if !FUZZING
/// Without libFuzzer: replays files through a target (for reproducing a finding).
@main
struct Replay {
    static func main() {
        let args = CommandLine.arguments
        guard args.count >= 3, fuzzTargets.contains(args[1]) else {
            fputs("usage: digits-fuzz \(fuzzTargets.joined(separator: "|")) FILE...\n", stderr)
            exit(2)
        }
        for path in args.dropFirst(2) {
            guard let bytes = try? readFile(path, limit: 1 << 30) else { fputs("\(path): unreadable\n", stderr); continue }
            exercise(args[1], bytes)
            print("\(path): ok")
        }
    }
}
#endif
