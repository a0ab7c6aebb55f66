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
            Parameter("mode", .choice(ToneMap.allCases.map(\.rawValue)), default: .string("minmax"),
                      doc: "minmax, clip to [0, 1], symmetric around zero, or percentile (1st to 99th)"),
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
        let (height, width, values, title) = try map(call)
        let tone = ToneMap(rawValue: try call.string("mode")) ?? .minMax
        let colormap = Colormap(rawValue: try call.string("colormap")) ?? .gray
        let mapped = tone.apply(values)
        guard let drawn = colormap.render(mapped.values, width: width, height: height) else {
            throw call.error("x", "the map could not be drawn")
        }
        // Small maps (13 x 13 at conv10) are scaled up so a person can see them.
        let scale = max(1, 256 / max(width, height))
        var canvas = Canvas(width: max(width * scale, 200), height: height * scale + 14)
        canvas.drawCanvas(drawn, x: 0, y: 0, targetWidth: width * scale, targetHeight: height * scale)
        canvas.drawText("\(mapped.caption), \(colormap.rawValue)", x: 2, y: height * scale + 3)
        return .engine(.picture(Picture(canvas: canvas, title: "\(title) (\(tone.rawValue), \(colormap.rawValue))",
                                        numbers: ([height, width], values))))
    }

    /// The 2-D numbers of a picture's map or of a tensor ([H, W] or [1, 1, H, W]).
    static func map(_ call: Invocation) throws -> (Int, Int, [Float], String) {
        switch call.value("x") {
        case .engine(.picture(let picture)):
            guard let numbers = picture.numbers, numbers.shape.count == 2 else {
                throw call.error("x", .type, "\(picture.title) has no 2-D map behind it", hint: "use a saliency, CAM or occlusion map")
            }
            return (numbers.shape[0], numbers.shape[1], numbers.values, picture.title)
        case .engine(.tensor(let tensor)):
            let spatial = tensor.shape.filter { $0 != 1 }
            guard spatial.count == 2 else {
                throw call.error("x", .type, "a tensor of shape \(tensor.shape) is not a 2-D map")
            }
            return (spatial[0], spatial[1], tensor.data, "tensor")
        case let other:
            throw call.error("x", .type, "expected a map, got \(other.typeName)")
        }
    }
}
