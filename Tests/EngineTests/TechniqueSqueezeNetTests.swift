import Foundation
import XCTest
@testable import Engine

/// Techniques on the pretrained SqueezeNet 1.1 and the sample photographs (skipped when the
/// assets have not been fetched). Set CONVLENS_TECHNIQUE_SAMPLES to a directory to also write
/// the pictures there, for looking at them.
final class TechniqueSqueezeNetTests: XCTestCase {
    private func assets() throws -> (Network, Image) {
        guard AssetDirectory.search() != nil else {
            throw XCTSkip("assets not fetched: run `.venv/bin/python scripts/fetch_assets.py` (make setup)")
        }
        let network = try ModelZoo.load("squeezenet")
        let image = try ImageFile.load(path: try AssetDirectory.file("images/chelsea.png"))
        return (network, image)
    }

    /// ImageNet classes 281 tabby, 282 tiger cat, 285 Egyptian cat.
    private func catProbability(_ network: Network, _ image: Image) throws -> Float {
        let (logits, _) = try network.forward(try network.preprocess(image), capture: [], until: nil)
        return [281, 282, 285].map { Occlusion.probabilities(logits.data, classes: 1000, classIndex: $0)[0] }.reduce(0, +)
    }

    /// The logits are the spatial mean of conv10 (after its ReLU), so CAM_k is channel k of conv10
    /// and Grad-CAM weighs channel k by 1 / (H * W): the maps agree up to a positive scale.
    func testCAMEqualsGradCAMAtConv10UpToAPositiveScale() throws {
        let (network, image) = try assets()
        let cam = try ClassActivationMap.compute(network: network, image: image, classIndex: nil)
        XCTAssertEqual(cam.layer, "conv10")
        XCTAssertTrue([281, 282, 285].contains(cam.classIndex), "top-1 of chelsea is \(cam.classIndex)")
        let gradCAM = try GradCAM.compute(network: network, image: image, classIndex: cam.classIndex, layer: "conv10")
        XCTAssertEqual([1000, cam.layerMap.height, cam.layerMap.width], network.layers.first { $0.name == "conv10" }?.outputShape)
        let scale = Float(cam.layerMap.values.count)
        let largest = cam.layerMap.range.maximum
        XCTAssertGreaterThan(largest, 0)
        for index in cam.layerMap.values.indices {
            XCTAssertEqual(gradCAM.layerMap.values[index] * scale, cam.layerMap.values[index], accuracy: 1e-4 * largest)
        }
        XCTAssertEqual(cam.channelWeights.filter { $0 != 0 }, [1])
        try writeSample(cam.render(), "cam")
        try writeSample(gradCAM.render(), "gradcam")
    }

    /// Hiding the cat's face costs more probability than hiding a corner of the background.
    func testOccludingTheFaceLowersTheCatProbabilityMoreThanACorner() throws {
        let (network, image) = try assets()
        let input = try network.deprocess(try network.preprocess(image))
        func occluded(x: Int, y: Int) throws -> Image {
            var copy = input
            for row in y..<(y + 64) { for column in x..<(x + 64) { for channel in 0..<3 {
                copy.pixels[(row * 227 + column) * 3 + channel] = 0.5
            } } }
            return copy
        }
        let clean = try catProbability(network, input)
        // Chelsea's face (eyes and nose) lies around the middle-left of the centre crop.
        let face = try catProbability(network, try occluded(x: 70, y: 60))
        let corner = try catProbability(network, try occluded(x: 163, y: 163))
        XCTAssertGreaterThan(clean, 0.5)
        XCTAssertLessThan(face, corner - 0.1, "face \(face), corner \(corner), clean \(clean)")
    }

    /// The crops are the receptive field of the layer in `layers`, clipped at the border.
    func testPatchCropsAreTheReceptiveFieldOfTheLayer() throws {
        let (network, image) = try assets()
        let coffee = try ImageFile.load(path: try AssetDirectory.file("images/coffee.png"))
        let info = try XCTUnwrap(network.layers.first { $0.name == "fire3" })
        let result = try MaximallyActivatingPatches.compute(network: network, images: [image, coffee], layer: "fire3",
                                                            channel: 5, top: 4, perImage: 2)
        XCTAssertEqual(result.patches.count, 4)
        for patch in result.patches {
            let box = info.receptiveBox(x: patch.x, y: patch.y, inputWidth: 227, inputHeight: 227)
            XCTAssertEqual([patch.x0, patch.y0, patch.x1, patch.y1], [box.x0, box.y0, box.x1, box.y1])
            let touchesBorder = box.x0 == 0 || box.y0 == 0 || box.x1 == 227 || box.y1 == 227
            if !touchesBorder {
                XCTAssertEqual(patch.crop.width, info.receptiveField)
                XCTAssertEqual(patch.crop.height, info.receptiveField)
            }
            XCTAssertLessThanOrEqual(patch.crop.width, info.receptiveField)
        }
        try writeSample(result.render(), "patches")
    }

    /// conv1's filters read back through the gradient equal the stored weights, in RGB order
    /// and times 255 (SqueezeNet reads BGR in 0...255).
    func testConv1FiltersEqualTheStoredWeights() throws {
        let (network, _) = try assets()
        let result = try FilterVisualization.compute(network: network, layer: "conv1", maxFilters: 10)
        XCTAssertEqual(result.mode, .rgb)
        XCTAssertEqual(result.kernel, 3)
        let weights = try WeightFile.load(path: try AssetDirectory.file("weights/squeezenet1_1.pkl"))
            .require("conv1.0", shape: [3, 3, 3, 64])
        for filter in 0..<10 {
            for rgb in 0..<3 {
                for y in 0..<3 {
                    for x in 0..<3 {
                        let stored = weights.values[((y * 3 + x) * 3 + (2 - rgb)) * 64 + filter]
                        XCTAssertEqual(result.weights[((filter * 3 + rgb) * 3 + y) * 3 + x], 255 * stored,
                                       accuracy: 1e-3 * max(1, abs(255 * stored)))
                    }
                }
            }
        }
        try writeSample(result.render(), "filters_conv1")
    }

    /// Writes the standard pictures of chelsea when CONVLENS_TECHNIQUE_SAMPLES is set.
    func testRenderSamplesOfChelsea() throws {
        guard ProcessInfo.processInfo.environment["CONVLENS_TECHNIQUE_SAMPLES"] != nil else {
            throw XCTSkip("set CONVLENS_TECHNIQUE_SAMPLES=<directory> to write sample pictures")
        }
        let (network, image) = try assets()
        let saliency = try InputGradient.compute(network: network, image: image, target: .classScore(nil))
        try writeSample(saliency.renderSaliency(), "saliency")
        let guided = try InputGradient.compute(network: network, image: image, target: .classScore(nil),
                                               options: .init(rule: .guided))
        try writeSample(guided.renderGradient(), "guided")
        let deconv = try InputGradient.compute(network: network, image: image, target: .classScore(nil),
                                               options: .init(rule: .deconvnet))
        try writeSample(deconv.renderGradient(), "deconvnet")
        // The fire9 channel that fires most on this image (many channels are silent on any one image).
        let fire9 = try ActivationMaps.compute(network: network, image: image, layer: "fire9", limit: 512)
        let strongest = fire9.maps.indices.max { fire9.maps[$0].range.maximum < fire9.maps[$1].range.maximum } ?? 0
        let unit = try InputGradient.compute(network: network, image: image, target: .unit(layer: "fire9", channel: strongest),
                                             options: .init(rule: .guided))
        try writeSample(unit.renderGradient(), "guided_unit")
        let smooth = try InputGradient.compute(network: network, image: image, target: .classScore(nil),
                                               options: .init(smoothSamples: 16, smoothSigma: 0.15, seed: 1))
        try writeSample(smooth.renderSaliency(), "smoothgrad")
        let guidedGradCAM = try GradCAM.guided(network: network, image: image, classIndex: nil, layer: "fire9")
        try writeSample(guidedGradCAM.render(), "guided_gradcam")
        try writeSample(try GradCAM.compute(network: network, image: image, classIndex: nil, layer: "fire9").render(), "gradcam_fire9")
        let occlusion = try Occlusion.compute(network: network, image: image, classIndex: nil)
        try writeSample(occlusion.render(), "occlusion")
        try writeSample(try ActivationMaps.compute(network: network, image: image, layer: "conv1", channels: Array(0..<16)).render(), "activations")
        let segmentation = try GraphCutSegmentation.segment(image: saliency.image, saliency: smooth.saliency)
        try writeSample(segmentation.render(image: saliency.image), "segment")
        for name in ["eagle", "dog"] {
            let photo = try ImageFile.load(path: try AssetDirectory.file("images/\(name).jpg"))
            let photoSaliency = try InputGradient.compute(network: network, image: photo, target: .classScore(nil),
                                                          options: .init(smoothSamples: 16, smoothSigma: 0.15, seed: 1))
            try writeSample(photoSaliency.renderSaliency(), "saliency_\(name)")
            let cut = try GraphCutSegmentation.segment(image: photoSaliency.image, saliency: photoSaliency.saliency)
            try writeSample(cut.render(image: photoSaliency.image), "segment_\(name)")
        }
    }

    private func writeSample(_ canvas: Canvas, _ name: String) throws {
        guard let directory = ProcessInfo.processInfo.environment["CONVLENS_TECHNIQUE_SAMPLES"] else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ImageFile.writePNG(canvas.image, to: "\(directory)/\(name).png")
    }
}

/// CAM on EfficientNet-Lite0 (global average pooling, then a linear classifier).
final class TechniqueEfficientNetTests: XCTestCase {
    /// CAM = sum_c W_kc A_c at the head; Grad-CAM at the head weighs by W_kc / 49 and applies a
    /// ReLU, so 49 * Grad-CAM = ReLU(CAM) exactly.
    func testCAMAndGradCAMAtTheHeadAgreeUpToReLUAndScale() throws {
        guard AssetDirectory.search() != nil else {
            throw XCTSkip("assets not fetched: run `.venv/bin/python scripts/fetch_assets.py` (make setup)")
        }
        let network = try ModelZoo.load("efficientnet_lite0")
        let image = try ImageFile.load(path: try AssetDirectory.file("images/coffee.png"))
        let cam = try ClassActivationMap.compute(network: network, image: image, classIndex: nil)
        XCTAssertEqual(cam.layer, "head")
        let gradCAM = try GradCAM.compute(network: network, image: image, classIndex: cam.classIndex, layer: "head")
        let area = Float(cam.layerMap.values.count)
        let largest = cam.layerMap.values.map(abs).max() ?? 0
        XCTAssertGreaterThan(largest, 0)
        for index in cam.layerMap.values.indices {
            XCTAssertEqual(gradCAM.layerMap.values[index] * area, max(cam.layerMap.values[index], 0), accuracy: 1e-3 * largest)
        }
    }
}
