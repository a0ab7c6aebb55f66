import Engine

/// `explore`: the Deep Visualization Toolbox's live view as widgets (see `Explorer`).
extension WidgetBuiltins {
    static let explore = Builtin(
        "explore", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("layer", .layerName, default: Value.none,
                      doc: "the layer to start on (one with channels); none: the first"),
            Parameter("channel", .integer, default: .number(0), range: .atLeast(0), doc: "the channel to start on"),
            Parameter("mode", .choice(Explorer.Mode.allCases.map(\.rawValue)), default: .string(Explorer.Mode.activation.rawValue),
                      doc: "what the picture shows for the chosen channel"),
        ],
        returns: "widget",
        summary: "A small Deep Visualization Toolbox: pick a layer, a channel and a view, and the picture follows.",
        paragraph: "A layer dropdown, a channel slider (its range follows the layer) and a mode: the channel's "
            + "activation map beside the image, its top patches over the sample photos, guided backprop or deconv "
            + "from its strongest unit, or a visualization by gradient ascent. The image goes forward once and every "
            + "layer's activations are kept, so moving between channels in activation mode redraws at once; each "
            + "picture drawn is kept too. Errors show in the text line under the picture. Without a widget front end "
            + "(jupyter console, nbconvert) it shows the first picture and a line of text.",
        example: "explore(model(), image(\"chelsea\"))\nexplore(model(), image(\"chelsea\"), layer: \"fire5\", mode: \"top patches\")",
        lecture: "000 (1.6-1.7), 004 (deep visualization toolbox)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let probe = try CachedProbe(network: model.network, image: picture.image)
        var layer = probe.layers[0].name
        if !call.value("layer").isNone {
            let info = try call.layer("layer", of: model)
            guard probe.layers.contains(where: { $0.name == info.name }) else {
                throw call.error("layer", "\(info.name) (\(info.kind), shape \(info.outputShape)) has no channels to explore",
                                 hint: "layers with channels: " + probe.layers.map(\.name).joined(separator: ", "))
            }
            layer = info.name
        }
        let channel = try call.integer("channel")
        let count = try probe.channelCount(layer)
        guard channel < count else {
            throw call.error("channel", "\(layer) has channels 0 to \(count - 1), not \(channel)")
        }
        let mode = Explorer.Mode(rawValue: try call.string("mode")) ?? .activation
        let explorer = try Explorer(probe: probe, widgets: call.session.widgets, layer: layer, channel: channel, mode: mode)
        explorer.attach()
        return .widget(explorer.view)
    }
}
