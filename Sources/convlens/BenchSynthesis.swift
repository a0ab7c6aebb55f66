import ArgumentParser
import Engine
import Foundation

/// Seconds of the three image-synthesis loops of issue 9's benchmark on SqueezeNet, as the
/// builtins run them (`DeepDream.run`, `FeatureMatching.run`, `ClassVisualization.run`); the
/// PyTorch twins of the same loops are in bench/synthesis/run.py, which reads the settings
/// printed here (input convention, layers, sizes) so both sides run the same thing.
///
/// - `dream`: `dream(net, img, "fire5")` with its defaults (3 octaves of 10 steps, scale 1.4,
///   rate 0.004, jitter 8) on a `size` x `size` image.
/// - `style`: `style(net, content, painting)` with its defaults on SqueezeNet (Adam at 0.01,
///   content weight 1, strength 20, from the content image) for `steps` steps at `size` x `size`.
/// - `fourier`: `visualize(net, layer:, channel:, regularizer: "fourier")`: Adam at 0.05 on the
///   1/f spectrum with the lucid transforms, `steps` steps at the network's input size.
struct SynthesisBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synthesis",
        abstract: "Time DeepDream, Gatys style transfer and Fourier channel visualization on SqueezeNet.")

    enum Part: String, ExpressibleByArgument, CaseIterable { case dream, style, fourier }

    @Option(help: "Which loop: dream, style or fourier.") var part: Part
    @Option(help: "The image to dream on, or the content photo (PNG or JPEG).") var image: String
    @Option(help: "The style painting (style only).") var styleImage: String?
    @Option(help: "Side of the square image (dream, style); fourier uses the network's input size.") var size = 512
    @Option(help: "Optimisation steps (style, fourier); dream uses its defaults.") var steps = 200
    @Option(help: "The layer (dream: the dreamed layer; fourier: the visualized channel's layer).") var layer = "fire5"
    @Option(help: "The channel (fourier).") var channel = 0
    @Option(help: "Timed runs; the median is reported.") var repetitions = 1
    /// The PyTorch side has no image decoder, so it starts from these exact pixels.
    @Option(help: "A folder to write the prepared inputs to as .npy (HWC, 0...1): image.npy, style.npy.") var export: String?
    @Flag(help: "Print JSON (the only format; kept for the scripts' sake).") var json = false

    func run() throws {
        let network = try BenchCommand.loadNetwork("squeezenet")
        let convention = try network.inputConvention
        var report: [String: Any] = [
            "part": part.rawValue, "network": network.name,
            "convention": ["order": convention.channelOrder.rawValue, "scale": convention.scale,
                           "mean": convention.mean, "std": convention.std,
                           "height": convention.height, "width": convention.width],
        ]
        let photo = try ImageFile.load(path: image).rgb().resized(width: size, height: size)
        try write(photo, "image")
        let body: () throws -> Void
        var octavesRun = 0
        switch part {
        case .dream:
            let options = DeepDream.Options()
            report.merge(["layer": layer, "size": size, "steps_per_octave": options.stepsPerOctave,
                          "octaves": options.octaves, "octave_scale": options.octaveScale, "rate": options.rate,
                          "jitter": options.jitter]) { $1 }
            // The octaves actually run (coarser ones are dropped below 32 px or the layer's floor).
            body = { octavesRun = try DeepDream.run(network: network, image: photo, layer: layer, options: options).octaves }
        case .style:
            guard let styleImage else { throw ValidationError("bench synthesis: --style-image is required for style") }
            let painting = try ImageFile.load(path: styleImage).rgb()
            try write(painting, "style")
            let (styleLayers, contentLayer) = Self.defaultStyleLayers(network)
            // The `style` builtin's settings (Sources/Language/Builtins/Synthesis/FeatureMatchingBuiltins.swift).
            let options = FeatureMatching.Options(steps: steps, rate: 0.01, contentWeight: 1, styleWeight: 20,
                                                  startFromContent: true)
            report.merge(["style_layers": styleLayers, "content_layer": contentLayer, "size": size, "steps": steps,
                          "rate": options.rate, "content_weight": options.contentWeight,
                          "style_weight": options.styleWeight,
                          "style_size": [painting.height, painting.width]]) { $1 }
            let target = FeatureMatching.Target(content: (photo, contentLayer), style: (painting, styleLayers))
            body = { _ = try FeatureMatching.run(network: network, target: target, height: size, width: size, options: options) }
        case .fourier:
            let options = ClassVisualization.Options(steps: steps, rate: 0.05, regularizer: .fourier, seed: 0)
            let transforms = TransformRobustness()
            report.merge(["layer": layer, "channel": channel, "steps": steps, "rate": options.rate,
                          "size": [convention.height, convention.width], "pad": transforms.pad,
                          "jitter": [transforms.firstJitter, transforms.secondJitter],
                          "scales": transforms.scales, "degrees": transforms.degrees]) { $1 }
            body = {
                _ = try ClassVisualization.run(network: network, objective: .channel(layer: layer, channel: channel),
                                               options: options)
            }
        }
        let seconds = try BenchTiming.medianMilliseconds(iterations: max(1, repetitions), warmup: 0, body: body) / 1000
        report["seconds"] = seconds
        if part == .dream { report["octaves_run"] = octavesRun }
        report["repetitions"] = max(1, repetitions)
        try BenchCommand.printJSON(report)
    }

    /// Writes `picture` as `export`/`name`.npy, [height, width, channels] float32.
    private func write(_ picture: Image, _ name: String) throws {
        guard let export else { return }
        let array = try NpyArray(shape: [picture.height, picture.width, picture.channels], values: picture.pixels)
        try array.encoded().write(to: URL(fileURLWithPath: export).appendingPathComponent("\(name).npy"))
    }

    /// The `style` builtin's default layers on a network without VGG's names (it mirrors
    /// `FeatureMatchingBuiltins.layerList` and `middleLayer`, internal to the language module):
    /// style from five layers spread over the first two thirds of the spatial layers that are
    /// not pools, content from the middle spatial layer.
    static func defaultStyleLayers(_ network: Network) -> (style: [String], content: String) {
        let spatial = network.layers.filter { $0.outputShape.count == 3 }
        let unpooled = spatial.filter { !$0.kind.lowercased().contains("pool") }
        let early = Array(unpooled.prefix(max(1, (unpooled.count * 2) / 3)))
        let picks = Set((0..<5).map { $0 * (early.count - 1) / 4 })
        return (picks.sorted().map { early[$0].name }, spatial[spatial.count / 2].name)
    }
}
