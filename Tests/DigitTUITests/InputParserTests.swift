import XCTest
@testable import DigitTUI

final class InputParserTests: XCTestCase {
    func tokens(_ s: String) -> [Terminal.Token] { s.unicodeScalars.map { .char(Int32($0.value)) } }
    func parse(_ s: String) -> [InputEvent] { InputParser.events(from: tokens(s), size: (120, 40)) }

    func testSeveralReportsInOneReadAreAllKept() {
        let events = parse("\u{1B}[<0;30;7M\u{1B}[<32;31;15M\u{1B}[<0;31;25m")
        XCTAssertEqual(events.count, 3)
        guard case let .mouse(c, r, b, a) = events[0] else { return XCTFail() }
        XCTAssertEqual(c, 29); XCTAssertEqual(r, 6); XCTAssertEqual(b, .left); XCTAssertEqual(a, .press)
        guard case let .mouse(c2, r2, _, a2) = events[1] else { return XCTFail() }
        XCTAssertEqual(c2, 30); XCTAssertEqual(r2, 14); XCTAssertEqual(a2, .drag)
        guard case let .mouse(_, _, _, a3) = events[2] else { return XCTFail() }
        XCTAssertEqual(a3, .release)
    }

    func testRightButtonWheelAndKeysAroundReports() {
        let events = parse("a\u{1B}[<2;5;5M\u{1B}[<64;5;5M\u{1B}[<65;6;7Mb\u{1B}[<66;5;5M\u{1B}")
        XCTAssertEqual(events, [.key(.char("a")), .mouse(column: 4, row: 4, button: .right, action: .press),
                                .mouse(column: 4, row: 4, button: .wheelUp, action: .press),
                                .mouse(column: 5, row: 6, button: .wheelDown, action: .press),
                                .key(.char("b")), .key(.escape)], "sideways wheel buttons (66, 67) are dropped; a lone Esc is the Esc key")
    }

    /// Events are equal only when everything about them is: a press is not a release.
    func testMouseEventsCompareButtonAndAction() {
        XCTAssertNotEqual(InputEvent.mouse(column: 1, row: 1, button: .left, action: .press), .mouse(column: 1, row: 1, button: .left, action: .release))
        XCTAssertNotEqual(InputEvent.mouse(column: 1, row: 1, button: .left, action: .press), .mouse(column: 1, row: 1, button: .right, action: .press))
        XCTAssertEqual(InputEvent.mouse(column: 1, row: 1, button: .left, action: .press), .mouse(column: 1, row: 1, button: .left, action: .press))
    }

    func testGarbageAndTruncatedReportsNeverCrash() {
        for s in ["\u{1B}[<", "\u{1B}[<0;1", "\u{1B}[<0;1;2;3;4M", "\u{1B}[<99999999999999999999;1;1M", "\u{1B}[<;;M",
                  "\u{1B}[<0;-5;3M", "\u{1B}[<0;0;0M", "\u{1B}[x", String(repeating: "\u{1B}[<0;", count: 100)] {
            _ = parse(s)
        }
        XCTAssertTrue(InputParser.incomplete(tokens("\u{1B}[<0;12")))
        XCTAssertTrue(InputParser.incomplete(tokens("\u{1B}")))
        XCTAssertFalse(InputParser.incomplete(tokens("\u{1B}[<0;1;1M")))
        XCTAssertFalse(InputParser.incomplete(tokens("abc")))
    }

    /// A sequence that is not a report we know is dropped whole: none of its bytes
    /// becomes a key (a "7" would label a sample, a "q" would quit).
    func testUnknownSequencesNeverBecomeKeys() {
        for s in ["\u{1B}[<32;-5;-5M", "\u{1B}[<0;20;10;5;6M", "\u{1B}[<0;20;1x", "\u{1B}[<1;2;3;4;5;6;7;8;9M", "\u{1B}[<0;20;10Z",
                  "\u{1B}]0;7\u{07}", "\u{1B}]2;quit\u{07}", "\u{1B}]2;quit\u{1B}\\", "\u{1B}P7\u{1B}\\", "\u{1B}[4;300;600t",
                  "\u{1B}[99999999999999999999~", "\u{1B}O5", "\u{1B}[1;99999999999A" ] {
            XCTAssertEqual(parse(s), [], s.debugDescription)
            XCTAssertEqual(parse(s + "a"), [.key(.char("a"))], "the key after \(s.debugDescription) is kept")
        }
        XCTAssertEqual(parse("\u{1B}\u{1B}"), [.key(.escape), .key(.escape)])
        XCTAssertEqual(parse("\u{1B}q"), [.key(.escape), .key(.char("q"))], "Esc then q typed quickly: both keys")
    }

    /// A report split across two reads is completed by the second, not typed.
    func testASplitReportWaitsForItsRest() {
        let first = InputParser.parse(tokens("\u{1B}[<32;3"), size: (120, 40), keepPending: true)
        XCTAssertEqual(first.events, [])
        XCTAssertEqual(first.pending.count, 7)
        let second = InputParser.parse(first.pending + tokens("0;15M\u{1B}[<0;30;15m"), size: (120, 40), keepPending: true)
        XCTAssertEqual(second.events, [.mouse(column: 29, row: 14, button: .left, action: .drag), .mouse(column: 29, row: 14, button: .left, action: .release)])
        XCTAssertEqual(second.pending, [])
        // Given up on, the late rest is recognised as such and dropped.
        XCTAssertEqual(InputParser.strayTail(tokens("0;15M7")), 5)
        XCTAssertEqual(InputParser.strayTail(tokens("7")), 0)
    }

    func testControlKeys() {
        XCTAssertEqual(parse("\u{3}"), [.key(.ctrl("c"))])
        XCTAssertEqual(parse("\t\r\u{7F}"), [.key(.tab), .key(.enter), .key(.backspace)])
        XCTAssertEqual(parse("\u{1C}\u{1D}"), [.key(.ctrl("\\")), .key(.ctrl("]"))], "Ctrl-\\ and Ctrl-] by their own names")
        XCTAssertEqual(Key.ctrl("\\").label, "Ctrl-\\")
    }
}
