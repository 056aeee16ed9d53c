import Glibc

enum Timestamp {
    static func seconds() -> Int { Int(time(nil)) }

    /// "20261122-0312", for default file names.
    static func compact() -> String {
        var t = time(nil)
        var tmv = tm()
        localtime_r(&t, &tmv)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tmv.tm_year + 1900)\(two(tmv.tm_mon + 1))\(two(tmv.tm_mday))-\(two(tmv.tm_hour))\(two(tmv.tm_min))"
    }
}
