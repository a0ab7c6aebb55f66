import XCTest
@testable import Engine

/// The declared ranges of engine options, and the engine's own checks with them.
final class NumberRangeTests: XCTestCase {
    func testContainsHonoursInclusiveAndExclusiveEndsAndRefusesNonFinite() {
        let steps = NumberRange.closed(1, 100)
        XCTAssertTrue(steps.contains(1))
        XCTAssertTrue(steps.contains(100))
        XCTAssertFalse(steps.contains(0))
        XCTAssertFalse(steps.contains(101))
        let rate = NumberRange.aboveUpTo(0, 1)
        XCTAssertFalse(rate.contains(0.0))
        XCTAssertTrue(rate.contains(1.0))
        XCTAssertTrue(rate.contains(1e-300))
        for bad in [Double.nan, .infinity, -.infinity] {
            XCTAssertFalse(NumberRange(lower: nil, upper: nil).contains(bad), "\(bad)")
            XCTAssertFalse(NumberRange.atLeast(1).contains(bad), "\(bad)")
        }
        XCTAssertEqual(AdversarialExample.Options.epsilonRange.scaled(by: 255), .aboveUpTo(0, 255))
    }

    func testDescriptionsReadAsTheErrorsAndHelpSayThem() {
        XCTAssertEqual(NumberRange.closed(1, 8).description, "1 to 8")
        XCTAssertEqual(NumberRange.aboveUpTo(0, 1).description, "above 0 and at most 1")
        XCTAssertEqual(NumberRange.atLeast(1).description, "at least 1")
        XCTAssertEqual(NumberRange.above(0).description, "above 0")
        XCTAssertEqual(NumberRange(lower: .inclusive(0), upper: .exclusive(0.5)).description, "at least 0 and below 0.5")
        XCTAssertEqual(NumberRange(lower: nil, upper: nil).description, "any finite number")
        XCTAssertThrowsError(try DeepDream.Options.octaveRange.check(9, "octaves", in: "dream")) { error in
            XCTAssertEqual(error as? EngineError, .invalid("dream: octaves must be 1 to 8, got 9"))
        }
        XCTAssertThrowsError(try ClassVisualization.Options.rateRange.check(Float.nan, "rate", in: "visualize")) { error in
            XCTAssertEqual(error as? EngineError, .invalid("visualize: rate must be above 0 and at most 1, got nan"))
        }
        XCTAssertNoThrow(try FeatureMatching.Options.smoothnessRange.check(0, "smoothness", in: "feature matching"))
    }

    func testTSNENeverConvertsANonFinitePerplexityAndSaysWhatPerplexityNeeds() {
        let points = (0..<10).flatMap { [Float($0), Float(($0 * 7) % 10)] }
        for perplexity in [Double.infinity, .nan, 1e300] {
            XCTAssertThrowsError(try TSNE.embed(points, rows: 10, columns: 2, options: TSNE.Options(perplexity: perplexity))) { error in
                guard let error = error as? EmbeddingError else { return XCTFail("\(error)") }
                switch error {
                case .invalidParameter(_, "perplexity", _, _) where !perplexity.isFinite: break
                case .perplexityTooLarge(_, _, 10, 3) where perplexity.isFinite: break
                default: XCTFail("\(perplexity): \(error)")
                }
            }
        }
        XCTAssertThrowsError(try TSNE.embed(points, rows: 10, columns: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .perplexityTooLarge(perplexity: 30, needed: 31, got: 10, suggested: 3))
            XCTAssertEqual("\(error)", "tsne: perplexity 30 needs at least 31 points, got 10; "
                           + "for 10 points use a perplexity below 10, such as 3")
        }
        // The suggestion fits: 3 x 3 neighbours are the 9 other points.
        XCTAssertEqual(TSNE.suggestedPerplexity(points: 10), 3)
        XCTAssertEqual(TSNE.pointsNeeded(perplexity: 3), 4)
        XCTAssertEqual(TSNE.pointsNeeded(perplexity: 9.5), 10)
        XCTAssertNil(TSNE.suggestedPerplexity(points: 2))
        XCTAssertNoThrow(try TSNE.embed(points, rows: 10, columns: 2, options: TSNE.Options(perplexity: 3, iterations: 20)))
    }
}
