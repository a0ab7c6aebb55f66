import Engine

/// What a layer computes for an image: `activations`.
enum ActivationBuiltins {
    static let family = "Activations"

    static var all: [Builtin] { [activations] }

    static let activations = Builtin(
        "activations", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("layer", .layerName, doc: "the layer to look at"),
            Parameter("channels", .integers, default: Value.none, range: .atLeast(0), doc: "channels to show, like 0..15 (none: the first 64)"),
            ToneParameter.parameter(default: .minMax, doc: "tone mapping of the maps"),
        ],
        returns: "image",
        summary: "A layer's channel maps for one image, as a labelled grid of grey pictures.",
        paragraph: "A layer's output of W x H x C numbers is C grayscale pictures; one tone mapping covers all of "
            + "them so brightness compares across channels. Saved numbers: the maps [channels, height, width].",
        example: "activations(model(), image(\"chelsea\"), \"conv1\", channels: 0..15)",
        lecture: "000 (1.6, activations)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let layer = try call.layer("layer", of: model)
        var channels: [Int]?
        if !(call.value("channels").isNone) {
            let requested = try call.integers("channels", limit: 4096)
            let available = layer.outputShape.first ?? 0
            if let bad = requested.first(where: { $0 >= available }) {
                throw call.error("channels", "\(layer.name) has channels 0 to \(available - 1), not \(bad)")
            }
            channels = requested
        }
        let result = try ActivationMaps.compute(network: model.network, image: picture.image, layer: layer.name, channels: channels)
        let tone = try ToneParameter.read(call) ?? .minMax
        let first = result.maps.first
        let numbers = result.maps.flatMap(\.values)
        return .engine(.picture(Picture(canvas: result.render(toneMap: tone),
                                        title: "activations of \(layer.name) on \(picture.title)",
                                        numbers: ([result.maps.count, first?.height ?? 0, first?.width ?? 0], numbers))))
    }
}

extension Value {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
