import XCTest
import ConvNet
@testable import DigitData

final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in pieces of awkward sizes, the digest is the same.
        var s = SHA256()
        let data = (0..<1000).map { UInt8($0 % 251) }
        for chunk in stride(from: 0, to: 1000, by: 37) { s.update(Array(data[chunk..<min(1000, chunk + 37)])) }
        XCTAssertEqual(s.finish().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(), SHA256.hex(data))
    }
}

