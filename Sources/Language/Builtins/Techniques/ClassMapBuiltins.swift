import Engine

/// Where a class is in the image: CAM, Grad-CAM and occlusion (lecture 002).
enum ClassMapBuiltins {
    static let family = "Class maps"

    static var all: [Builtin] { [cam, gradcam, occlusion] }

    static let cam = Builtin(
        "cam", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model ending in global average pooling"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("class", .className, default: Value.none, doc: "the class to locate; none takes the top class"),
            ToneParameter.parameter(default: .minMax, doc: "tone mapping of the map"),
        ],
        returns: "image",
        summary: "Class activation map: the last feature maps weighted by the class's classifier weights.",
        paragraph: "Works for networks whose logits are a global average of the last feature maps. For SqueezeNet "
            + "the class's CAM is conv10's channel for that class. Saved numbers: the map at the layer's resolution.",
        example: "cam(model(), image(\"chelsea\"), class: \"tabby\")",
        lecture: "002 (CAM)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let result = try ClassActivationMap.compute(network: model.network, image: picture.image,
                                                    classIndex: try call.classIndex("class", of: model))
        return try classMapPicture(result, picture, model: model, toneMap: try ToneParameter.read(call) ?? .minMax)
    }

    static let gradcam = Builtin(
        "gradcam", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("class", .className, default: Value.none, doc: "the class to locate; none takes the top class"),
            Parameter("layer", .layerName, doc: "the layer whose maps are weighted (a late convolution)"),
            Parameter("guided", .bool, default: .bool(false), doc: "multiply by guided backpropagation (guided Grad-CAM)"),
            ToneParameter.parameter(default: .minMax, doc: "tone mapping of the map"),
        ],
        returns: "image",
        summary: "Grad-CAM: a layer's maps weighted by the mean gradient of the class score, ReLU, upsampled.",
        paragraph: "Any layer of any network: each channel's weight is the spatial mean of the class score's "
            + "gradient there; the weighted sum goes through a ReLU and is bilinearly upsampled onto the image. "
            + "With guided: true the map multiplies guided backpropagation (guided Grad-CAM): fine detail, class-specific.",
        example: "gradcam(model(), image(\"chelsea\"), class: \"tabby\", layer: \"fire9\")",
        lecture: "002 (Grad-CAM)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let layer = try call.layer("layer", of: model)
        let classIndex = try call.classIndex("class", of: model)
        if try call.bool("guided") {
            let result = try GradCAM.guided(network: model.network, image: picture.image, classIndex: classIndex, layer: layer.name)
            let image = result.guided.image
            return .engine(.picture(Picture(canvas: result.render(),
                                            title: "guided Grad-CAM at \(layer.name) of \(result.gradCAM.targetDescription) on \(picture.title)",
                                            numbers: ([image.height, image.width, image.channels], result.product))))
        }
        let result = try GradCAM.compute(network: model.network, image: picture.image, classIndex: classIndex, layer: layer.name)
        return try classMapPicture(result, picture, model: model, toneMap: try ToneParameter.read(call) ?? .minMax)
    }

    static let occlusion = Builtin(
        "occlusion", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("class", .className, default: Value.none, doc: "the class to watch; none takes the top class"),
            Parameter("window", .integer, default: .number(32), range: .atLeast(1), doc: "side of the grey square, in input pixels"),
            Parameter("stride", .integer, default: .number(8), range: .atLeast(1), doc: "step between positions, in input pixels"),
            Parameter("fill", .either(.string, .number), default: .string("mean"),
                      doc: "what hides the square: \"mean\" (the image's mean colour), \"zero\" (0 in the network's input space) or a grey level 0 to 1"),
            ToneParameter.parameter(default: .minMax, doc: "tone mapping of the probability map"),
        ],
        returns: "image",
        summary: "Occlusion map: the class probability as a grey square slides over the image.",
        paragraph: "Where hiding the image lowers the probability most, the network was looking. The occluded "
            + "copies run through the network in batches; progress updates in place. The stride may not exceed the "
            + "window (pixels between squares would never be measured), and the last square of each row and column "
            + "sits flush with the edge, so every pixel's colour comes from the squares that covered it. Saved numbers: "
            + "the probability at each square position.",
        example: "occlusion(model(), image(\"chelsea\"), class: \"tabby\", window: 32, stride: 8)",
        lecture: "000 (1.10) and 002 (occlusion experiments)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let window = try call.integer("window"), stride = try call.integer("stride")
        if let problem = Occlusion.Options(window: window, stride: stride).coverageProblem { throw call.error("stride", problem) }
        let fill = try occlusionFill(call)
        let progress = call.session.startProgress("occlusion")
        let result = try Occlusion.compute(network: model.network, image: picture.image,
                                           classIndex: try call.classIndex("class", of: model),
                                           options: Occlusion.Options(window: window, stride: stride, fill: fill),
                                           progress: { progress.report(step: $0, total: $1) })
        let map = result.probabilities
        return .engine(.picture(Picture(canvas: result.render(toneMap: try ToneParameter.read(call) ?? .minMax),
                                        title: "occlusion of \(result.targetDescription) on \(picture.title)",
                                        numbers: ([map.height, map.width], map.values))))
    }

    static func occlusionFill(_ call: Invocation) throws -> OcclusionFill {
        let given: String
        if case .number(let level) = call.value("fill") { given = String(level) } else { given = try call.string("fill") }
        guard let fill = OcclusionFill(name: given) else {
            throw call.error("fill", .value, "fill must be \"mean\", \"zero\" or a grey level from 0 to 1, got \(given)",
                             hint: "fill: 0.5 hides the square with mid-grey")
        }
        return fill
    }

    /// The map's numbers span the network's input, which is the centre crop of the photo.
    static func classMapPicture(_ result: ClassMapResult, _ picture: Picture, model: ModelValue, toneMap: ToneMap) throws -> Value {
        let map = result.layerMap
        return .engine(.picture(Picture(canvas: result.render(toneMap: toneMap),
                                        title: "\(result.method) at \(result.layer) of \(result.targetDescription) on \(picture.title)",
                                        numbers: ([map.height, map.width], map.values),
                                        region: try InputRegion.measure(network: model.network, width: picture.image.width,
                                                                        height: picture.image.height))))
    }
}
