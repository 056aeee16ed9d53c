import XCTest
import ConvNet
import DigitData
@testable import DigitTUI

/// The verdict on screen, with models whose readings are known (every weight 0,
/// the biases the logits): the title, the big digit and the bars change colour and
/// wording — and the wording alone says it in monochrome.
final class VerdictAppTests: XCTestCase {
    /// An app whose model reads softmax(`logits`) for any drawing; output 10 is
    /// "not a digit" unless `notADigitClass` is nil.
    static func app(_ logits: [Float], notADigitClass: String? = "10", width: Int = 120, height: Int = 40) throws -> App {
        let net = try Network(spec: "in28x28x1-flatten-dense\(logits.count)")
        let params = Dictionary(uniqueKeysWithValues: net.namedParameters.map { ($0.name, $0.parameter) })
        for i in 0..<params["fc1.weight"]!.count { params["fc1.weight"]!.value[i] = 0 }
        for (i, v) in logits.enumerated() { params["fc1.bias"]!.value[i] = v }
        let meta = notADigitClass.map { [("not_a_digit_class", $0)] } ?? []
        let app = App(model: try LiveModel(network: net, source: "test", metadata: meta))
        app.handle(.resize(width: width, height: height))
        return app
    }

    static func logits(_ set: [Int: Float], count: Int = 11) -> [Float] { (0..<count).map { set[$0] ?? 0 } }
    static let seven = logits([7: 8]), fiveOrNine = logits([5: 4.01, 9: 4]), letter = logits([10: 8])

    /// A stroke down the middle of the canvas (full layout cells).
    static func stroke(_ app: App, column: Int = 29) {
        app.handle(.mouse(column: column, row: 8, button: .left, action: .press))
        app.handle(.mouse(column: column, row: 24, button: .none, action: .drag))
        app.handle(.mouse(column: column, row: 24, button: .none, action: .release))
    }

    /// The prediction panel's rows, as text.
    func predictionRows(_ app: App, _ s: Surface) -> [String] {
        let r = app.layout.prediction
        return s.lines[r.y..<r.maxY].map { String($0.unicodeScalars.dropFirst(r.x).prefix(r.width).map(Character.init)) }
    }

    /// The style of the bar cells of class row `d` (its first bar cell).
    func barStyle(_ app: App, _ s: Surface, row d: Int) -> Style {
        let inner = app.layout.prediction.inset(1)
        return s[inner.x + 12, inner.y + d + (inner.height > 11 ? 1 : 0)].style
    }

    func testNotADigitSaysSoInTheTitleAndTheBigDigitAndDimsTheBars() throws {
        let app = try Self.app(Self.letter)
        Self.stroke(app)
        for color in [true, false] {
            let s = AppFixture.surface(app, color: color)
            let rows = predictionRows(app, s)
            XCTAssertTrue(rows[0].contains("─ not a digit (99."), rows[0])
            XCTAssertTrue(rows.contains { $0.contains("│ not a ") } && rows.contains { $0.contains("│ digit ") }, rows.joined(separator: "\n"))
            XCTAssertTrue(rows.contains { $0.contains(" ✗ ") && $0.contains("99.") }, "the ✗ bar: " + rows.joined(separator: "\n"))
            XCTAssertFalse(rows.contains { $0.prefix(10).contains("█") }, "no big digit: " + rows.joined(separator: "\n"))
        }
        let theme = Theme(color: true)
        let s = AppFixture.surface(app, color: true)
        for d in 0..<10 { XCTAssertEqual(barStyle(app, s, row: d), theme.dim, "digit bar \(d) dimmed") }
        XCTAssertEqual(s[app.layout.prediction.x + 2, app.layout.prediction.y].style, theme.warn, "the title in the warning colour")
    }

    func testUnsureNamesTheTwoMostLikelyDigits() throws {
        let app = try Self.app(Self.fiveOrNine)
        Self.stroke(app)
        let s = AppFixture.surface(app, color: false)
        let rows = predictionRows(app, s)
        // The panel is 30 columns wide at 120×40: the percentages drop out of the title.
        XCTAssertTrue(rows[0].contains("─ unsure: 5 or 9? "), rows[0])
        XCTAssertTrue(rows.contains { $0.contains("│ 5 or 9? ") }, "under the big digit: " + rows.joined(separator: "\n"))
        let wide = try Self.app(Self.fiveOrNine, width: 100, height: 40)
        Self.stroke(wide)
        XCTAssertTrue(predictionRows(wide, AppFixture.surface(wide))[0].contains("unsure: 5 or 9? (4"), predictionRows(wide, AppFixture.surface(wide))[0])
        let theme = Theme(color: true)
        let c = AppFixture.surface(app, color: true)
        XCTAssertEqual(barStyle(app, c, row: 5), theme.unsure)
        XCTAssertEqual(barStyle(app, c, row: 9), theme.unsure)
        XCTAssertEqual(barStyle(app, c, row: 3), theme.bar)
    }

    func testADigitReadsAsBeforeWithTheNotADigitBarBelow() throws {
        let app = try Self.app(Self.seven)
        Self.stroke(app)
        let rows = predictionRows(app, AppFixture.surface(app, color: false))
        XCTAssertTrue(rows[0].contains("─ prediction: 7 (99."), rows[0])
        XCTAssertTrue(rows.contains { $0.contains(" ✗ ") && $0.contains("0.0") }, rows.joined(separator: "\n"))
        XCTAssertFalse(AppFixture.surface(app).lines[0].contains("no verdict"))
    }

    func testAModelWithoutTheClassReadsAsBeforeAndSaysItHasNoVerdict() throws {
        let app = try Self.app(Self.logits([3: 8], count: 10), notADigitClass: nil)
        Self.stroke(app)
        let s = AppFixture.surface(app, color: false)
        XCTAssertTrue(s.lines[0].contains("· no verdict"), s.lines[0])
        let rows = predictionRows(app, s)
        XCTAssertTrue(rows[0].contains("─ prediction: 3 ("), rows[0])
        XCTAssertFalse(rows.joined().contains("✗"))
        app.handle(.key(.function(6)))
        guard case let .message(_, lines)? = app.overlay else { return XCTFail("no summary") }
        XCTAssertTrue(lines.contains(DigitReading.noVerdict), lines.joined(separator: "\n"))
    }

    /// At 80×24 the panel has no row to spare for a ✗ bar: "not a digit"'s probability
    /// goes under the big digit (or is the one shown, when that is the verdict).
    func testCompactLayoutSaysTheVerdictToo() throws {
        let app = try Self.app(Self.letter, width: 80, height: 24)
        app.handle(.mouse(column: 15, row: 4, button: .left, action: .press))
        app.handle(.mouse(column: 15, row: 12, button: .none, action: .drag))
        app.handle(.mouse(column: 15, row: 12, button: .none, action: .release))
        let s = AppFixture.surface(app, color: false)
        let rows = predictionRows(app, s)
        XCTAssertTrue(rows[0].contains("─ not a digit (99."), rows[0])
        XCTAssertTrue(rows.contains { $0.contains("│ not a ") } && rows.contains { $0.contains("│ 99.") }, rows.joined(separator: "\n"))
        let seven = try Self.app(Self.seven, width: 80, height: 24)
        seven.handle(.mouse(column: 15, row: 4, button: .left, action: .press))
        seven.handle(.mouse(column: 15, row: 12, button: .none, action: .release))
        let sevenRows = predictionRows(seven, AppFixture.surface(seven, color: false))
        XCTAssertTrue(sevenRows.contains { $0.contains("│ ✗0.") }, "not a digit's share under the 7: " + sevenRows.joined(separator: "\n"))
        XCTAssertTrue(s.lines[23].trimmingCharacters(in: .whitespaces).hasSuffix("q quit"), s.lines[23])
    }

    /// A model trained in the app goes through the same check as a file.
    func testALiveModelRefusesANotADigitClassThatIsNotTheLast() throws {
        let net = try Network(spec: "in28x28x1-flatten-dense11")
        XCTAssertThrowsError(try LiveModel(network: net, source: "test", metadata: [("not_a_digit_class", "4")])) {
            XCTAssertTrue("\($0)".contains("it must be the model's last output, 10"), "\($0)")
        }
        XCTAssertEqual(try LiveModel(network: net, source: "test", metadata: [("not_a_digit_class", "10")]).notADigitClass, 10)
    }
}

extension VerdictAppTests {
    /// F3's message shows the digits' confusion under its 0–9 header, also for an
    /// 11-output verdict model (whose "not a digit" row and column are empty on MNIST).
    func testTheEvaluationMessageShowsTheDigitsConfusion() throws {
        let net = try Network(spec: "in28x28x1-flatten-dense11")
        let test = LabeledImages(shape: Shape(28, 28, 1), images: [Float](repeating: 0, count: 20 * 784), labels: (0..<20).map { Int32($0 % 10) })
        let e = Evaluation(network: net, data: test, notADigitClass: 10)
        let lines = App.evaluationLines(name: "m", e)
        let rows = lines.suffix(from: lines.firstIndex { $0.hasPrefix("confusion") }! + 2)
        XCTAssertEqual(rows.count, 10)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: " ").count == 11 }, rows.joined(separator: "\n"))
    }
}
