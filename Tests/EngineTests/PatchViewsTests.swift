import XCTest
@testable import Engine

/// A given unit's gradient (GradientTarget.position) and the views drawn beside a patch.
final class PatchViewsTests: XCTestCase {
    /// Channel 0 = x, channel 1 = -x (1 x 1 convolution), ReLU, on a 2 x 3 single-channel image.
    private func network() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [2, 1, 1, 1], data: [1, -1])
        return TechniqueToyNetwork(height: 2, width: 3, channels: 1, stages: [
            .init("conv", [2, 2, 3]) { try $0.conv2d(weight: weight, bias: nil).relu() },
            .init("logits", [2]) { try $0.globalAvgPool().flatten() },
        ], classes: 2, scale: 10, offset: 0.5)
    }

    /// The seed sits at the given unit, not the channel's largest: the gradient is the
    /// weight times the scale at that pixel only, or zero where the ReLU is closed.
    func testPositionSeedsTheGivenUnit() throws {
        let network = try network()
        let image = try network.image(forTensor: [3, -1, 2, -4, 0, 1])
        // Channel 0 (= x) at (0, 2): x = 2, open; its largest is 3 at (0, 0).
        let open = try InputGradient.compute(network: network, image: image, target: .position(layer: "conv", channel: 0, y: 0, x: 2))
        XCTAssertEqual(open.gradient, [0, 0, 10, 0, 0, 0])
        XCTAssertEqual(open.unit?.y, 0)
        XCTAssertEqual(open.unit?.x, 2)
        XCTAssertEqual(open.unit?.value ?? 0, 2, accuracy: 1e-4)
        // Channel 0 at (1, 0): x = -4, the ReLU is closed, nothing passes.
        let closed = try InputGradient.compute(network: network, image: image, target: .position(layer: "conv", channel: 0, y: 1, x: 0))
        XCTAssertEqual(closed.gradient, [0, 0, 0, 0, 0, 0])
        XCTAssertThrowsError(try InputGradient.compute(network: network, image: image,
                                                       target: .position(layer: "conv", channel: 0, y: 2, x: 0))) { error in
            XCTAssertTrue("\(error)".contains("position (2, 0) is outside the 2x3 grid"), "\(error)")
        }
    }

    /// The guided view is the full guided gradient cropped to the field; the context view
    /// outlines the field in yellow on the seen image.
    func testGuidedCropAndContextOutline() throws {
        let network = try network()
        let image = try network.image(forTensor: [3, -1, 2, -4, 0, 1])
        let patch = Patch(imageIndex: 0, y: 0, x: 2, value: 2, x0: 1, y0: 0, x1: 3, y1: 2,
                          crop: MaximallyActivatingPatches.crop(image, x0: 1, y0: 0, x1: 3, y1: 2))
        let (_, gradient) = try PatchViews.guided(patch, layer: "conv", channel: 0, seen: image, network: network)
        // Full guided gradient [0, 0, 10, 0, 0, 0] (HWC, one channel), cropped to columns 1-2 of both rows.
        XCTAssertEqual(gradient, [0, 10, 0, 0])

        let big = try Image(width: 40, height: 30, channels: 3, pixels: [Float](repeating: 0.2, count: 40 * 30 * 3))
        let framed = Patch(imageIndex: 0, y: 0, x: 0, value: 1, x0: 5, y0: 4, x1: 25, y1: 20,
                           crop: MaximallyActivatingPatches.crop(big, x0: 5, y0: 4, x1: 25, y1: 20))
        let canvas = PatchViews.context(framed, seen: big).image
        func rgb(_ x: Int, _ y: Int) -> [Float] { (0..<3).map { canvas.value(x: x, y: y, channel: $0) } }
        XCTAssertEqual(rgb(5, 4)[0], 1, accuracy: 0.01, "corner of the field is outlined")
        XCTAssertEqual(rgb(5, 4)[2], 0, accuracy: 0.01)
        XCTAssertEqual(rgb(15, 12)[0], 0.2, accuracy: 0.01, "inside the field the image is untouched")
        XCTAssertEqual(rgb(35, 25)[0], 0.2, accuracy: 0.01, "outside too")
    }
}

/// A class run's picture adds the logit-against-the-others plot (lecture 000, 1.13), and a run whose
/// objective is the logit itself draws that curve once.
final class SynthesisResultRenderTests: XCTestCase {
    func testClassObjectiveAddsTheLogitPlot() throws {
        let image = try Image(width: 8, height: 8, channels: 3, pixels: [Float](repeating: 0.5, count: 8 * 8 * 3))
        var result = SynthesisResult(image: image, objective: "class 1", network: "toy",
                                     regularizer: ImageRegularizer(name: "none"), scores: [0, 1, 2])
        let plain = result.render()
        // A probability objective: the scores are not the logit, so both plots are drawn.
        result.targetLogits = [0, 3, 5]
        result.otherLogits = [0, -1, -2]
        let withLogits = result.render()
        XCTAssertEqual(withLogits.width, plain.width)
        XCTAssertGreaterThanOrEqual(withLogits.height - plain.height, 64, "a second plot of at least 64 px")
        // The logit objective: its curve is the logit's, drawn once in the logit plot.
        result.targetLogits = [0, 1, 2]
        XCTAssertLessThan(result.render().height, withLogits.height - 32, "the objective plot is not repeated")
        result.otherLogits = [0]
        XCTAssertEqual(result.render().height, plain.height, "mismatched series draw no second plot")
    }
}
