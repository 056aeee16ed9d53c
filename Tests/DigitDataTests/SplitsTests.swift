import XCTest
import ConvNet
@testable import DigitData

final class SplitsTests: XCTestCase {
    /// 100 examples: 60 of class 0, 30 of class 1, 10 of class 2; pixel = index.
    let data = LabeledImages(shape: Shape(1, 1, 1), images: (0..<100).map(Float.init),
                             labels: (0..<100).map { $0 < 60 ? 0 : ($0 < 90 ? 1 : 2) })

    func testHoldoutIsStratifiedDisjointAndRepeatable() {
        let (train, test) = Splits.holdout(data, fraction: 0.2, seed: 3)
        XCTAssertEqual(test.classCounts(3), [12, 6, 2])
        XCTAssertEqual(train.classCounts(3), [48, 24, 8])
        XCTAssertTrue(Set(train.floatImages()).isDisjoint(with: Set(test.floatImages())))
        XCTAssertEqual(Splits.holdout(data, fraction: 0.2, seed: 3).test.floatImages(), test.floatImages())
        XCTAssertNotEqual(Splits.holdout(data, fraction: 0.2, seed: 4).test.floatImages(), test.floatImages())
    }

    func testFoldsPartitionAndBalanceEachClass() {
        let folds = Splits.folds(data, k: 5, seed: 1)
        XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<100))
        for f in folds {
            let counts = data.subset(f).classCounts(3)
            XCTAssertEqual(counts, [12, 6, 2], "each fold keeps the class shares")
        }
    }
}
