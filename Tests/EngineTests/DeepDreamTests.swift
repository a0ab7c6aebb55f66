import XCTest
@testable import Engine

final class DeepDreamTests: XCTestCase {
    /// A ReLU convolution on BGR input scaled by 2 around 0.5, like SqueezeNet's preprocessing.
    private func network() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [2, 3, 3, 3], data: techniqueRandomValues(54, seed: 31))
        return TechniqueToyNetwork(height: 8, width: 8, channels: 3, stages: [
            .init("conv", [2, 8, 8]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
        ], classes: 0, scale: 2, offset: 0.5, reverseChannels: true)
    }

    func testInputSpaceMakesTheSameTensorAsPreprocessAndWorksAtAnySize() throws {
        let network = try network()
        let space = try InputSpace(network: network)
        let image = try Image(width: 8, height: 8, channels: 3, pixels: techniqueRandomValues(192, seed: 2).map { ($0 + 1) / 2 })
        XCTAssertEqual(try space.tensor(from: image).data, try network.preprocess(image).data)
        let wide = try Image(width: 13, height: 5, channels: 3, pixels: techniqueRandomValues(195, seed: 3).map { ($0 + 1) / 2 })
        let tensor = try space.tensor(from: wide)
        XCTAssertEqual(tensor.shape, [1, 3, 5, 13])
        // Tensor channel 0 reads image channel 2 (BGR), as (pixel - 0.5) * 2.
        XCTAssertEqual(tensor.data[4 * 13 + 7], (wide.pixels[(4 * 13 + 7) * 3 + 2] - 0.5) * 2, accuracy: 1e-6)
    }

    /// The dream's gradient is that of 1/2 mean(a^2): checked against central differences on
    /// pixels of an image larger than the network's input size.
    func testDreamGradientMatchesFiniteDifferencesOfHalfMeanSquare() throws {
        let network = try network()
        let space = try InputSpace(network: network)
        let pixels = techniqueRandomValues(10 * 12 * 3, seed: 4).map { ($0 + 1) / 2 }
        func value(_ values: [Float]) throws -> Float {
            try DeepDream.gradient(network: network, space: space, layer: "conv",
                                   image: try Image(width: 12, height: 10, channels: 3, pixels: values)).0
        }
        let (_, gradient) = try DeepDream.gradient(network: network, space: space, layer: "conv",
                                                   image: try Image(width: 12, height: 10, channels: 3, pixels: pixels))
        let step: Float = 1e-2
        for index in stride(from: 0, to: pixels.count, by: 11) {
            var plus = pixels, minus = pixels
            plus[index] += step
            minus[index] -= step
            let numeric = (try value(plus) - value(minus)) / (2 * step)
            XCTAssertEqual(gradient[index], numeric, accuracy: 2e-3 + 1e-2 * abs(numeric), "pixel value \(index)")
        }
    }

    func testDreamRaisesTheLayerEnergyKeepsTheSizeAndRepeatsWithTheSeed() throws {
        let network = try network()
        let image = try Image(width: 70, height: 50, channels: 3, pixels: techniqueRandomValues(70 * 50 * 3, seed: 5).map { ($0 + 1) / 4 + 0.25 })
        let options = DeepDream.Options(stepsPerOctave: 4, octaves: 3, seed: 8)
        let first = try DeepDream.run(network: network, image: image, layer: "conv", options: options)
        XCTAssertEqual([first.image.width, first.image.height], [70, 50])
        XCTAssertEqual(first.octaves, 2, "70 x 50 / 1.4^2 = 36 x 26 is below 32 on one side, so only two octaves")
        XCTAssertEqual(first.steps, 8)
        XCTAssertGreaterThan(first.finalValue, first.startValue)
        XCTAssertTrue(first.image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        let again = try DeepDream.run(network: network, image: image, layer: "conv", options: options)
        XCTAssertEqual(first.image.pixels, again.image.pixels)
        XCTAssertThrowsError(try DeepDream.run(network: network, image: image, layer: "fc9")) { error in
            XCTAssertTrue("\(error)".contains("has no layer 'fc9'"), "\(error)")
        }
    }

    /// An interrupt after the third step of the coarse octave returns the dream so far, at the
    /// original's size, marked interrupted, instead of throwing it away.
    func testAnInterruptReturnsTheDreamSoFarAtTheOriginalSize() throws {
        let network = try network()
        let image = try Image(width: 70, height: 50, channels: 3, pixels: techniqueRandomValues(70 * 50 * 3, seed: 5).map { ($0 + 1) / 4 + 0.25 })
        let options = DeepDream.Options(stepsPerOctave: 4, octaves: 3, seed: 8)
        var stop = false
        let result = try Cancellation.withHandler({ stop }) {
            try DeepDream.run(network: network, image: image, layer: "conv", options: options) { done, _, _ in
                if done == 3 { stop = true }
            }
        }
        XCTAssertTrue(result.interrupted)
        XCTAssertEqual(result.steps, 3)
        XCTAssertEqual([result.image.width, result.image.height], [70, 50])
        XCTAssertNotEqual(result.image.pixels, image.pixels, "three steps changed the image")
        XCTAssertTrue(result.render().image.width > 0)
    }
}
