import ConvNet
import DigitData
import Glibc

extension JSON {
    static func num(_ x: Double, _ digits: Int = 6) -> JSON {
        let scale = pow(10.0, Double(digits))
        return .number((x * scale).rounded() / scale)
    }
    static func int(_ n: Int) -> JSON { .number(Double(n)) }
}

func printJSON(_ j: JSON) { print(j.text) }
