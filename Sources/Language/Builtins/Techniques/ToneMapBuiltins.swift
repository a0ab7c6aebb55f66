import Engine

/// `tonemap`: draws a map's raw numbers under a chosen tone mapping and colormap.
///
/// Lecture 000 (1.3) warns how much the mapping from numbers to grey levels changes what
/// one sees, so the mapping used is written under the picture.
enum ToneMapBuiltins {
    static let family = "Drawing"

    static var all: [Builtin] { [tonemap] }

    static let tonemap = Builtin(
        "tonemap", family: family,
        parameters: [
            Parameter("x", .either(.picture, .tensor), doc: "a map (saliency, CAM, occlusion) or a 2-D tensor"),
            ToneParameter.parameter(default: .minMax, doc: "minmax, clip to [0, 1], symmetric around zero, or percentile (1st to 99th)"),
            Parameter("colormap", .choice(Colormap.allCases.map(\.rawValue)), default: .string("gray"),
                      doc: "gray, viridis (perceptual) or diverging (for signed maps)"),
        ],
        returns: "image",
        summary: "Redraws a map's numbers with another tone mapping and colormap; the choice is written on it.",
        paragraph: "The numbers stay the same (save gives the same .npy); only how they become colours changes. "
            + "Try symmetric with diverging on a raw gradient, percentile on a saliency map.",
        example: "tonemap(saliency(model(), image(\"chelsea\")), mode: \"clip\", colormap: \"viridis\")",
        lecture: "000 (1.3, tone mapping)"
    ) { call in
        let (shape, values, title) = try map(call)
        // Redrawn numbers still cover the same part of the photo.
        var region: InputRegion?
        if case .engine(.picture(let picture)) = call.value("x") { region = picture.region }
        let (height, width, channels) = (shape[0], shape[1], shape.count == 3 ? shape[2] : 1)
        let tone = try ToneParameter.read(call) ?? .minMax
        let colormap = Colormap(rawValue: try call.string("colormap")) ?? .gray
        let mapped = tone.apply(values)
        // Colour gradients (H x W x 3) are drawn as colours; a colormap only means something for one channel.
        var drawn = Canvas(width: width, height: height)
        if channels == 3 {
            drawn.drawPicture(pixels: mapped.values, width: width, height: height, channels: 3,
                              x: 0, y: 0, targetWidth: width, targetHeight: height)
        } else if let colored = colormap.render(mapped.values, width: width, height: height) {
            drawn = colored
        } else {
            throw call.error("x", "the map could not be drawn")
        }
        // Small maps (13 x 13 at conv10) are scaled up so a person can see them.
        let scale = max(1, 256 / max(width, height))
        var enlarged = Canvas(width: width * scale, height: height * scale)
        enlarged.drawCanvas(drawn, x: 0, y: 0, targetWidth: width * scale, targetHeight: height * scale)
        let colors = channels == 3 ? "rgb" : colormap.rawValue
        let canvas = enlarged.withCaption("\(mapped.caption), \(colors)")
        return .engine(.picture(Picture(canvas: canvas, title: "\(title) (\(tone.rawValue), \(colors))",
                                        numbers: (shape, values), region: region)))
    }

    /// The numbers of a picture's map or of a tensor: [H, W], or [H, W, 1 or 3] as gradients are.
    static func map(_ call: Invocation) throws -> ([Int], [Float], String) {
        switch call.value("x") {
        case .engine(.picture(let picture)):
            guard let numbers = picture.numbers, isMap(numbers.shape) else {
                throw call.error("x", .type, "\(picture.title) has no map (H x W, or H x W x 3) behind it",
                                 hint: "use a saliency, gradient, CAM or occlusion picture")
            }
            return (numbers.shape, numbers.values, picture.title)
        case .engine(.tensor(let tensor)):
            let spatial = tensor.shape.filter { $0 != 1 }
            guard spatial.count == 2 else {
                throw call.error("x", .type, "a tensor of shape \(tensor.shape) is not a 2-D map")
            }
            return (spatial, tensor.data, "tensor")
        case let other:
            throw call.error("x", .type, "expected a map, got \(other.typeName)")
        }
    }

    static func isMap(_ shape: [Int]) -> Bool {
        shape.count == 2 || (shape.count == 3 && (shape[2] == 1 || shape[2] == 3))
    }
}
