import XCTest
@testable import Engine

/// FGSM, PGD, the iterative recipe, fooling images and the adversarial patch on small linear
/// networks whose log-probabilities are computed here independently (softmax in Double).
final class AttackTests: XCTestCase {
    private let (channels, height, width, classes) = (3, 4, 5, 3)

    private func linearNetwork(_ weight: Tensor, height: Int = 4, width: Int = 5) -> TechniqueToyNetwork {
        TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("logits", [classes]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
    }

    private func setup(seed: UInt64) throws -> (TechniqueToyNetwork, Image) {
        let inputs = channels * height * width
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: seed))
        let image = try Image(width: width, height: height, channels: 3,
                              pixels: techniqueRandomValues(inputs, seed: seed + 1).map { 0.5 + 0.2 * $0 })
        return (linearNetwork(weight), image)
    }

    /// p(target) of `pixels` by a softmax in Double over the network's logits.
    private func probability(_ network: Network, _ pixels: [Float], target: Int, height: Int = 4, width: Int = 5) throws -> Double {
        let input = try network.preprocess(try Image(width: width, height: height, channels: 3, pixels: pixels))
        let logits = try network.forward(input, capture: [], until: nil).output.data.map(Double.init)
        let largest = logits.max() ?? 0
        let exponentials = logits.map { Foundation.exp($0 - largest) }
        return exponentials[target] / exponentials.reduce(0, +)
    }

    /// FGSM's perturbation is exactly epsilon * sign(d log p(target) / d image) at the original.
    func testFGSMIsOneSignedStepOfEpsilonAlongTheEnginesGradient() throws {
        let (network, image) = try setup(seed: 51)
        let target = 2, epsilon: Float = 0.05
        let (_, gradient) = try AdversarialExample.step(network: network, space: try InputSpace(network: network),
                                                        pixels: image.pixels, like: image, target: target)
        let result = try AdversarialExample.run(network: network, image: image, target: target,
                                                options: .init(method: .fgsm, epsilon: epsilon, maxSteps: 50))
        XCTAssertEqual(result.steps, 1)
        XCTAssertEqual(gradient.filter { $0 == 0 }.count, 0, "every pixel has a sign")
        for (index, change) in result.perturbation.enumerated() {
            XCTAssertEqual(change, epsilon * (gradient[index] > 0 ? 1 : -1), accuracy: 1e-6, "pixel value \(index)")
        }
        XCTAssertEqual(result.linf, 0.05 * 255, accuracy: 1e-3)
        XCTAssertEqual(Double(result.after.targetProbability), try probability(network, result.adversarial.pixels, target: target), accuracy: 1e-5)
        XCTAssertEqual(result.probabilities.count, 2)
    }

    /// PGD takes every step, each projected into the epsilon ball and into 0...1, and reaches the
    /// ball's boundary; with a random start it differs from the image-start run but stays inside.
    func testPGDStaysInsideTheBallAndTheValidRange() throws {
        let (network, image) = try setup(seed: 53)
        let epsilon: Float = 0.03
        for randomStart in [false, true] {
            let result = try AdversarialExample.run(network: network, image: image, target: 0,
                                                    options: .init(method: .pgd, epsilon: epsilon, stepSize: 0.01, maxSteps: 25,
                                                                   randomStart: randomStart, seed: 7))
            XCTAssertEqual(result.steps, 25, "without confidence PGD runs every step")
            XCTAssertLessThanOrEqual(result.largestChange, epsilon + 1e-6)
            XCTAssertEqual(result.largestChange, epsilon, accuracy: 1e-6, "a linear model drives pixels to the boundary")
            XCTAssertTrue(result.adversarial.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            // log p(target) of a linear model is concave: 25 steps raise it.
            XCTAssertGreaterThan(result.after.targetProbability, result.before.targetProbability)
        }
        // Near white, the projection also clips at 1.
        let bright = try Image(width: width, height: height, channels: 3, pixels: image.pixels.map { Swift.min($0 + 0.45, 1) })
        let clipped = try AdversarialExample.run(network: network, image: bright, target: 1,
                                                 options: .init(method: .pgd, epsilon: 0.2, stepSize: 0.05, maxSteps: 10))
        XCTAssertTrue(clipped.adversarial.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertLessThanOrEqual(clipped.largestChange, 0.2 + 1e-6)
    }

    /// The lecture's recipe stops at the first step at which p(target) >= confidence.
    func testIterativeStopsAtTheFirstStepReachingTheConfidence() throws {
        let (network, image) = try setup(seed: 55)
        let confidence: Float = 0.9
        let target = (0..<classes).min { try! probability(network, image.pixels, target: $0) < probability(network, image.pixels, target: $1) } ?? 0
        let result = try AdversarialExample.run(network: network, image: image, target: target,
                                                options: .init(epsilon: 0.5, stepSize: 0.01, maxSteps: 500, confidence: confidence))
        XCTAssertTrue(result.fooled)
        XCTAssertGreaterThan(result.steps, 1)
        XCTAssertEqual(result.probabilities.count, result.steps + 1)
        XCTAssertGreaterThanOrEqual(result.probabilities.last ?? 0, confidence)
        XCTAssertTrue(result.probabilities.dropLast().allSatisfy { $0 < confidence }, "\(result.probabilities)")
        XCTAssertEqual(try probability(network, result.adversarial.pixels, target: target), Double(result.after.targetProbability), accuracy: 1e-5)
        // One step fewer is below the confidence.
        let shorter = try AdversarialExample.run(network: network, image: image, target: target,
                                                 options: .init(epsilon: 0.5, stepSize: 0.01, maxSteps: result.steps - 1, confidence: confidence))
        XCTAssertFalse(shorter.fooled)
        XCTAssertLessThan(try probability(network, shorter.adversarial.pixels, target: target), Double(confidence))
        XCTAssertThrowsError(try AdversarialExample.run(network: network, image: image, target: 0, options: .init(confidence: 1)))
    }

    /// Fooling images climb from noise until p(class) reaches the confidence; same seed, same bytes.
    func testFoolingImageReachesTheConfidenceFromNoiseDeterministically() throws {
        let (network, _) = try setup(seed: 57)
        let options = FoolingImage.Options(steps: 300, rate: 0.02, confidence: 0.99, seed: 3)
        let result = try FoolingImage.run(network: network, target: 1, options: options)
        XCTAssertGreaterThanOrEqual(result.finalScore, 0.99)
        XCTAssertTrue(result.scores.dropLast().allSatisfy { $0 < 0.99 })
        XCTAssertEqual(Double(result.finalScore), try probability(network, result.image.pixels, target: 1), accuracy: 1e-5)
        let again = try FoolingImage.run(network: network, target: 1, options: options)
        XCTAssertEqual(again.image.pixels, result.image.pixels)
        var other = options
        other.seed = 4
        XCTAssertNotEqual(try FoolingImage.run(network: network, target: 1, options: other).image.pixels, result.image.pixels)
        XCTAssertThrowsError(try FoolingImage.run(network: network, target: 3, options: options))
    }

    /// The patch lands where the placement says: at scale 1 and angle 0 with a half-integer centre,
    /// patch pixel (i, j) is image pixel (top + i, left + j) exactly, the rest is the image.
    func testPlacementPastesThePatchPixelForPixel() throws {
        let side = 4
        let placement = PatchPlacement(side: side, height: 10, width: 12, center: (4.5, 7.5), scale: 1, angle: 0)
        let patch = techniqueRandomValues(side * side * 3, seed: 60)
        let image = techniqueRandomValues(10 * 12 * 3, seed: 61)
        let patched = placement.apply(patch: patch, to: image, channels: 3)
        for y in 0..<10 {
            for x in 0..<12 {
                for c in 0..<3 {
                    let inside = (3..<7).contains(y) && (6..<10).contains(x)
                    let expected = inside ? patch[((y - 3) * side + (x - 6)) * 3 + c] : image[(y * 12 + x) * 3 + c]
                    XCTAssertEqual(patched[(y * 12 + x) * 3 + c], expected, accuracy: 1e-6, "(\(y), \(x), \(c))")
                }
            }
        }
    }

    /// d sum(w * patched) / d patch by the warp's transpose equals central finite differences, for
    /// a scaled, rotated placement (bilinear weights everywhere).
    func testPatchGradientMatchesCentralFiniteDifferences() throws {
        let side = 5
        let placement = PatchPlacement(side: side, height: 11, width: 13, center: (5.3, 6.1), scale: 1.3, angle: 0.4)
        let patch = techniqueRandomValues(side * side * 3, seed: 62).map { 0.5 + 0.4 * $0 }
        let image = techniqueRandomValues(11 * 13 * 3, seed: 63)
        let weights = techniqueRandomValues(11 * 13 * 3, seed: 64)
        func objective(_ patch: [Float]) -> Double {
            zip(placement.apply(patch: patch, to: image, channels: 3), weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let gradient = placement.patchGradient(weights, channels: 3)
        let h: Float = 1e-2
        for index in patch.indices {
            var plus = patch, minus = patch
            plus[index] += h
            minus[index] -= h
            let numeric = (objective(plus) - objective(minus)) / Double(2 * h)
            XCTAssertEqual(Double(gradient[index]), numeric, accuracy: 1e-3, "patch value \(index)")
        }
        XCTAssertGreaterThan(gradient.map { abs($0) }.max() ?? 0, 0.5)
        // The mask covers the patch's scaled area (5 x 1.3)^2 = 42.25 pixels, up to edge rounding.
        XCTAssertEqual(placement.mask.reduce(0, +), 42.25, accuracy: 0.5)
    }

    /// A patch trained on a linear network wins on held-out images, the same seed gives the same
    /// bytes, and images already of the class are left out of the success rate.
    func testPatchTrainingSucceedsOnHeldOutImagesDeterministically() throws {
        let (size, inputs) = (12, 3 * 12 * 12)
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: 70).map { 0.3 * $0 })
        let network = linearNetwork(weight, height: size, width: size)
        let images = try (0..<10).map { item in
            try Image(width: size, height: size, channels: 3, pixels: techniqueRandomValues(inputs, seed: 80 + UInt64(item)).map { 0.5 + 0.3 * $0 })
        }
        let clean = try images.map { image in try (0..<classes).max { try! probability(network, image.pixels, target: $0, height: size, width: size)
                                                    < probability(network, image.pixels, target: $1, height: size, width: size) } ?? 0 }
        let target = (0..<classes).min { a, b in clean.filter { $0 == a }.count < clean.filter { $0 == b }.count } ?? 0
        var options = AdversarialPatch.Options(size: 0.25, steps: 60, batch: 4, rate: 0.05, seed: 9)
        options.trials = 3
        let result = try AdversarialPatch.run(network: network, training: Array(images.prefix(6)), heldOut: Array(images.suffix(4)),
                                              target: target, options: options)
        XCTAssertEqual(result.patch.width, 6, "sqrt(0.25 * 144) = 6")
        XCTAssertEqual(result.excluded, clean.suffix(4).filter { $0 == target }.count)
        XCTAssertEqual(result.eligible + result.excluded, 4)
        XCTAssertEqual(result.objectives.count, 60)
        XCTAssertGreaterThan(result.objectives.suffix(5).reduce(0, +), result.objectives.prefix(5).reduce(0, +))
        XCTAssertGreaterThanOrEqual(result.successRate, 0.5)
        XCTAssertTrue(result.patch.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        let again = try AdversarialPatch.run(network: network, training: Array(images.prefix(6)), heldOut: Array(images.suffix(4)),
                                             target: target, options: options)
        XCTAssertEqual(again.patch.pixels, result.patch.pixels)
        XCTAssertEqual(again.successRate, result.successRate)
        XCTAssertThrowsError(try AdversarialPatch.run(network: network, training: [], heldOut: images, target: 0))
    }
}
