import Foundation
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

/// The acceptance figures of issue 9, for a release build (slow in debug): set
/// CONVLENS_VISUALIZE_ACCEPTANCE to a folder; the pictures are written there and the
/// probabilities printed. CONVLENS_VISUALIZE_STEPS caps the steps (default: 200 / 512).
final class FeatureVisualizationAcceptance: XCTestCase {
    func testLectureClassesAreClassifiedAsTheirClass() throws {
        guard let folder = ProcessInfo.processInfo.environment["CONVLENS_VISUALIZE_ACCEPTANCE"] else {
            throw XCTSkip("set CONVLENS_VISUALIZE_ACCEPTANCE to a folder to measure")
        }
        guard AssetDirectory.search() != nil else { throw XCTSkip("assets not fetched (make setup)") }
        let cap = ProcessInfo.processInfo.environment["CONVLENS_VISUALIZE_STEPS"].flatMap(Int.init)
        let regularizers = (ProcessInfo.processInfo.environment["CONVLENS_VISUALIZE_REGULARIZERS"] ?? "l2++,fourier")
            .split(separator: ",").compactMap { ImageRegularizer.named(String($0)) }
        let network = try ModelZoo.load("squeezenet")
        // flamingo, pelican, hartebeest, billiard table, station wagon, black swan, ground beetle, Indian cobra.
        let lectureClasses = [130, 144, 351, 736, 436, 100, 302, 63]
        // CONVLENS_VISUALIZE_CLASSES="130,144" measures a subset.
        let classes = ProcessInfo.processInfo.environment["CONVLENS_VISUALIZE_CLASSES"]
            .map { $0.split(separator: ",").compactMap { Int($0) } } ?? lectureClasses
        for regularizer in regularizers {
            var hits = 0
            for classIndex in classes {
                let steps = Swift.min(cap ?? .max, regularizer.parameterization == .fourier ? 512 : 200)
                let result = try ClassVisualization.run(network: network, objective: .classScore(classIndex),
                                                        options: ClassVisualization.Options(steps: steps, rate: 0.05, regularizer: regularizer, seed: 1))
                let (logits, _) = try network.forward(try network.preprocess(result.image), capture: [], until: nil)
                let probability = SynthesisObjective.softmax(Array(logits.data.prefix(logits.count)))[classIndex]
                if probability >= 0.9 { hits += 1 }
                print("acceptance \(regularizer.name) class \(classIndex) \(network.classNames[classIndex]): p = \(probability)")
                let png = Data(try PNGCodec.encode(result.render().image))
                try png.write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(regularizer.name)-\(classIndex).png"))
            }
            print("acceptance \(regularizer.name): \(hits) of \(classes.count) with p >= 0.9")
        }
    }
}
