import XCTest
@testable import Engine

/// Lecture 000 section 1.13 on the pretrained SqueezeNet (skipped when the assets are not fetched).
final class FeatureVisualizationSqueezeNetTests: XCTestCase {
    /// Optimising the same class from the same start by its logit and by its probability: the
    /// probability run lowers the mean of the other classes' logits more, and the logit run raises
    /// the target's logit more: p rises "by lowering other classes" (section 1.13's conjecture).
    func testProbabilityObjectiveRaisesPByLoweringTheOthers() throws {
        guard AssetDirectory.search() != nil else { throw XCTSkip("assets not fetched (make setup)") }
        let network = try ModelZoo.load("squeezenet")
        let flamingo = 130
        func run(_ objective: SynthesisObjective) throws -> SynthesisResult {
            var options = ClassVisualization.Options(steps: 6, rate: 0.05, regularizer: .none, seed: 3)
            options.start = .zeros
            return try ClassVisualization.run(network: network, objective: objective, options: options)
        }
        let score = try run(.classScore(flamingo)), probability = try run(.classProbability(flamingo))
        XCTAssertEqual(score.targetLogits.first, probability.targetLogits.first, "the same start")
        func change(_ values: [Float]) -> Float { (values.last ?? 0) - (values.first ?? 0) }
        let (scoreOthers, probabilityOthers) = (change(score.otherLogits), change(probability.otherLogits))
        print("section 1.13: logit run: target \(change(score.targetLogits)), others \(scoreOthers); "
              + "probability run: target \(change(probability.targetLogits)), others \(probabilityOthers), "
              + "p \(probability.startScore) -> \(probability.finalScore)")
        XCTAssertLessThan(probabilityOthers, scoreOthers, "the probability objective lowers the other logits more")
        XCTAssertGreaterThan(change(score.targetLogits), change(probability.targetLogits), "the logit objective raises the target more")
        XCTAssertGreaterThan(probability.finalScore, probability.startScore)
    }
}
