import XCTest
@testable import Engine

/// The pieces of Fourier feature visualization (spectrum, colour, resampling) against central
/// finite differences and hand-computed values; the new objectives against finite differences.
final class FeatureVisualizationTests: XCTestCase {
    /// sum(weights * f(x)) and its central difference along coordinate `index`.
    private func centralDifference(_ f: ([Float]) throws -> [Float], at x: [Float], weights: [Float], index: Int,
                                   step: Float) rethrows -> Float {
        var plus = x, minus = x
        plus[index] += step
        minus[index] -= step
        let up = try zip(f(plus), weights).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let down = try zip(f(minus), weights).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        return (up - down) / (2 * step)
    }

    /// image(X) is linear: its adjoint `backward` must match central differences of sum(w * image)
    /// for every parameter, for even and odd sizes (the Hermitian columns differ).
    func testFourierParameterizationGradientMatchesFiniteDifferences() throws {
        for (height, width) in [(4, 6), (5, 5), (6, 3)] {
            let fourier = try FourierParameterization(height: height, width: width, channels: 2)
            let parameters = techniqueRandomValues(fourier.parameterCount, seed: 3)
            let weights = techniqueRandomValues(height * width * 2, seed: 4)
            let gradient = fourier.backward(weights)
            for index in 0..<fourier.parameterCount {
                let numeric = centralDifference({ fourier.image($0) }, at: parameters, weights: weights, index: index, step: 0.05)
                XCTAssertEqual(gradient[index], numeric, accuracy: 2e-4, "\(height)x\(width) parameter \(index)")
            }
        }
    }

    /// The spectrum's scale, checked by hand on a 4x4 image: one real coefficient at (ky, kx) = (0, 1)
    /// gives t[y, x] = 2 X s cos(2 pi x / 4) / (4 sqrt(16)) with s = 1 / f = 4; and `parameters(for:)`
    /// inverts `image`.
    func testFourierParameterizationScaleAndInverse() throws {
        let fourier = try FourierParameterization(height: 4, width: 4, channels: 1)
        var parameters = [Float](repeating: 0, count: fourier.parameterCount)
        parameters[2 * 1] = 1  // (ky 0, kx 1), real part
        let image = fourier.image(parameters)
        for y in 0..<4 {
            for x in 0..<4 {
                let expected = Float(2 * 4 * cos(2 * Double.pi * Double(x) / 4) / 16)
                XCTAssertEqual(image[y * 4 + x], expected, accuracy: 1e-6, "pixel (\(y), \(x))")
            }
        }
        // DC: f = 0 is floored at 1 / max(H, W) = 1/4, so s = 4 and t = X * 4 / 16 everywhere.
        var dc = [Float](repeating: 0, count: fourier.parameterCount)
        dc[0] = 2
        for value in fourier.image(dc) { XCTAssertEqual(value, 0.5, accuracy: 1e-6) }

        let target = techniqueRandomValues(5 * 6 * 3, seed: 8)
        let wide = try FourierParameterization(height: 5, width: 6, channels: 3)
        let roundTrip = wide.image(wide.parameters(for: target))
        for (a, b) in zip(roundTrip, target) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testColorDecorrelationMatrixAndGradient() throws {
        // Column norms: sqrt(0.26^2 + 0.27^2 + 0.27^2) = sqrt(0.2134), sqrt(0.0162), sqrt(0.0038): the first is the largest.
        let raw = ColorDecorrelation.covarianceSquareRoot
        let firstNorm = (raw[0][0] * raw[0][0] + raw[1][0] * raw[1][0] + raw[2][0] * raw[2][0]).squareRoot()
        XCTAssertEqual(ColorDecorrelation.matrix[1][0], 0.27 / firstNorm, accuracy: 1e-7)
        XCTAssertEqual(Double(firstNorm), 0.2134.squareRoot(), accuracy: 1e-6)
        // t = 0 is grey 0.5 in every channel.
        XCTAssertEqual(ColorDecorrelation.pixels([0, 0, 0], channels: 3), [0.5, 0.5, 0.5])

        let values = techniqueRandomValues(4 * 3, seed: 11).map { $0 * 3 }
        let weights = techniqueRandomValues(4 * 3, seed: 12)
        let pixels = ColorDecorrelation.pixels(values, channels: 3)
        let gradient = ColorDecorrelation.backward(pixels: pixels, gradient: weights, channels: 3)
        for index in values.indices {
            let numeric = centralDifference({ ColorDecorrelation.pixels($0, channels: 3) }, at: values, weights: weights,
                                            index: index, step: 1e-2)
            XCTAssertEqual(gradient[index], numeric, accuracy: 1e-4, "value \(index)")
        }
        let back = try ColorDecorrelation.decorrelated(pixels, channels: 3)
        for (a, b) in zip(back, values) { XCTAssertEqual(a, b, accuracy: 1e-3) }
    }

    /// Scale, rotation, pad and jitter as affine maps: their `backward` against central differences,
    /// and a whole-pixel shift reading exactly the shifted pixels and the fill outside.
    func testAffineWarpGradientsMatchFiniteDifferences() throws {
        let (height, width, channels) = (7, 6, 3)
        let values = techniqueRandomValues(height * width * channels, seed: 21)
        let transforms = TransformRobustness()
        let maps: [(String, AffineWarp)] = [
            ("scale 0.9", AffineWarp.resize(from: (8, 7), to: (height, width))),
            ("scale 1.1", AffineWarp.resize(from: (5, 5), to: (height, width))),
            ("rotation 10 degrees", AffineWarp.rotation(10 * .pi / 180, height: height, width: width)),
            ("pad and jitter", AffineWarp(offset: [-3, 2], outputHeight: height + 2, outputWidth: width)),
            ("all, composed", transforms.map(height: height, width: width, firstJitter: (3, 5), scale: 0.94,
                                             angle: -7 * .pi / 180, secondJitter: (1, 4))),
        ]
        for (name, warp) in maps {
            let weights = techniqueRandomValues(warp.outputHeight * warp.outputWidth * channels, seed: 22)
            let gradient = warp.backward(weights, height: height, width: width, channels: channels)
            for index in values.indices {
                let numeric = centralDifference({ warp.apply($0, height: height, width: width, channels: channels) },
                                                at: values, weights: weights, index: index, step: 1e-2)
                XCTAssertEqual(gradient[index], numeric, accuracy: 1e-3, "\(name), pixel value \(index)")
            }
        }
        let shift = AffineWarp(offset: [-1, 2], outputHeight: height, outputWidth: width, fill: 0.5)
        let shifted = shift.apply(values, height: height, width: width, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                let (sy, sx) = (y - 1, x + 2)
                let inside = sy >= 0 && sy < height && sx >= 0 && sx < width
                for c in 0..<channels {
                    XCTAssertEqual(shifted[(y * width + x) * channels + c], inside ? values[(sy * width + sx) * channels + c] : 0.5)
                }
            }
        }
    }

    /// Composition: the composite map sends a point where the steps, applied in turn, send it; and
    /// with no jitter, scale or rotation the view is the padded image cropped and resized.
    func testTransformRobustnessComposesItsSteps() {
        let transforms = TransformRobustness()
        let (height, width) = (20, 30)
        let warp = transforms.map(height: height, width: width, firstJitter: (2, 6), scale: 1.1, angle: 0.1, secondJitter: (3, 1))
        // By hand: network -> final view (size 43x57 after the second crop), -> rotated, -> cropped, -> padded, -> image.
        let (croppedH, croppedW) = (height + 16, width + 16)
        let (scaledH, scaledW) = (Int((Float(croppedH) * 1.1).rounded()), Int((Float(croppedW) * 1.1).rounded()))
        let (finalH, finalW) = (scaledH - 4, scaledW - 4)
        for (y, x) in [(0, 0), (7, 19), (19, 29)] {
            var py = (Float(y) + 0.5) * Float(finalH) / Float(height) - 0.5
            var px = (Float(x) + 0.5) * Float(finalW) / Float(width) - 0.5
            py += 3; px += 1
            let (cy, cx) = (Float(scaledH - 1) / 2, Float(scaledW - 1) / 2)
            let (dy, dx) = (py - cy, px - cx)
            py = cy + cos(0.1) * dy + sin(0.1) * dx
            px = cx - sin(0.1) * dy + cos(0.1) * dx
            py = (py + 0.5) * Float(croppedH) / Float(scaledH) - 0.5
            px = (px + 0.5) * Float(croppedW) / Float(scaledW) - 0.5
            py += 2 - 12; px += 6 - 12
            let (sy, sx) = warp.source(y, x)
            XCTAssertEqual(sy, py, accuracy: 1e-3)
            XCTAssertEqual(sx, px, accuracy: 1e-3)
        }
        XCTAssertEqual(transforms.scales.count, 11)
        XCTAssertEqual(transforms.scales.first ?? 0, 0.9, accuracy: 1e-6)
        XCTAssertEqual(transforms.scales.last ?? 0, 1.1, accuracy: 1e-6)
    }

    private func toyNetwork() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [4, 3, 3, 3], data: techniqueRandomValues(108, seed: 31))
        let dense = try Tensor(shape: [5, 4 * 8 * 8], data: techniqueRandomValues(5 * 256, seed: 32).map { $0 * 0.3 })
        return TechniqueToyNetwork(height: 8, width: 8, channels: 3, stages: [
            .init("conv", [4, 8, 8]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
            .init("logits", [5]) { try $0.flatten().linear(weight: dense, bias: nil) },
        ], classes: 5, scale: 2, offset: 0.5)
    }

    /// Neuron, layer L2 and probability objectives: value and gradient against central differences.
    func testNewObjectivesGradientsMatchFiniteDifferences() throws {
        let network = try toyNetwork()
        let values = techniqueRandomValues(3 * 64, seed: 33)
        let objectives: [SynthesisObjective] = [.neuron(layer: "conv", channel: 2, y: 3, x: 5), .layerNorm(layer: "conv"),
                                                .classProbability(1), .classScore(4)]
        for objective in objectives {
            let input = try Tensor(shape: [1, 3, 8, 8], data: values)
            _ = try objective.backpropagate(network: network, input: input)
            let gradient = try XCTUnwrap(input.grad)
            func value(_ data: [Float]) throws -> [Float] {
                [try objective.backpropagate(network: network, input: try Tensor(shape: [1, 3, 8, 8], data: data))]
            }
            for index in stride(from: 0, to: values.count, by: 5) {
                // A small step, so the ReLU's kink is rarely crossed.
                let numeric = try centralDifference(value, at: values, weights: [1], index: index, step: 1e-3)
                XCTAssertEqual(gradient[index], numeric, accuracy: 2e-3 * max(1, abs(numeric)), "\(objective) input \(index)")
            }
        }
        // The probability is the softmax of the logits, checked against the logits' own softmax.
        let input = try Tensor(shape: [1, 3, 8, 8], data: values)
        let evaluation = try SynthesisObjective.classProbability(1).evaluate(network: network, input: input)
        let logits = try XCTUnwrap(evaluation.logits)
        let total = logits.map { exp(Double($0)) }.reduce(0, +)
        XCTAssertEqual(Double(evaluation.value), exp(Double(logits[1])) / total, accuracy: 1e-6)
    }

    /// Same seed, same bytes; another seed, another image; each start gives its own first image.
    func testFourierVisualizationIsSeededAndClimbs() throws {
        let network = try toyNetwork()
        func run(_ seed: UInt64, start: ClassVisualization.Start = .noise) throws -> SynthesisResult {
            var options = ClassVisualization.Options(steps: 30, rate: 0.05, regularizer: .fourier, seed: seed)
            options.start = start
            return try ClassVisualization.run(network: network, objective: .classScore(2), options: options)
        }
        let (first, again, other) = (try run(7), try run(7), try run(8))
        XCTAssertEqual(first.image.pixels, again.image.pixels)
        XCTAssertEqual(first.scores, again.scores)
        XCTAssertNotEqual(first.image.pixels, other.image.pixels)
        XCTAssertEqual(first.scores.count, 31)
        XCTAssertEqual(first.targetLogits.count, 31)
        XCTAssertGreaterThan(first.finalScore, first.startScore + 1)
        let grey = try run(1, start: .zeros)
        XCTAssertGreaterThan(grey.finalScore, grey.startScore)
        // From a photo: step 0 sees (a transformed view of) that photo.
        let photo = try Image(width: 8, height: 8, channels: 3, pixels: techniqueRandomValues(192, seed: 40).map { 0.2 + 0.6 * abs($0) })
        let fromPhoto = try run(1, start: .image(photo))
        XCTAssertNotEqual(fromPhoto.scores[0], grey.scores[0])
    }

    /// An interrupt stops the loop and returns the image made so far with the scores up to then.
    func testInterruptReturnsWhatItHas() throws {
        let network = try toyNetwork()
        var checks = 0
        let result = try Cancellation.withHandler({ checks += 1; return checks > 40 }) {
            try ClassVisualization.run(network: network, objective: .classScore(0),
                                       options: ClassVisualization.Options(steps: 500, regularizer: .l2PlusPlus, seed: 1))
        }
        XCTAssertTrue(result.interrupted)
        XCTAssertGreaterThan(result.scores.count, 0)
        XCTAssertLessThanOrEqual(result.scores.count, 40)
    }

    /// Yosinski et al. 2015, Table 1 (via the deep-visualization-toolbox's doc/optimize.md).
    func testYosinskiPresetsAreTable1() throws {
        let presets = try (1...4).map { try XCTUnwrap(ImageRegularizer.yosinski(preset: $0)) }
        XCTAssertEqual(presets.map(\.decay), [0, 0.3, 0.0001, 0])
        XCTAssertEqual(presets.map(\.blurSigma), [0.5, 0, 1.0, 0.5])
        XCTAssertEqual(presets.map(\.blurEvery), [4, 0, 4, 4])
        XCTAssertEqual(presets.map(\.normPercentile), [50, 20, 0, 0])
        XCTAssertEqual(presets.map(\.contributionPercentile), [0, 0, 0, 90])
        XCTAssertNil(ImageRegularizer.yosinski(preset: 5))
    }
}
