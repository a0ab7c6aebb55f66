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
            Parameter("x", .either(.picture, .tensor), doc: "a map (saliency, CAM, occlusion), a layer's maps (activations) or a 2-D tensor"),
            Parameter("mode", .either(.choice(ToneParameter.modes), .list), default: .string(ToneMap.minMax.rawValue),
                      doc: "minmax, clip to [0, 1], symmetric around zero, or percentile (1st to 99th); a list of modes draws one panel each, side by side"),
            Parameter("colormap", .choice(Colormap.allCases.map(\.rawValue)), default: .string("gray"),
                      doc: "gray, viridis (perceptual) or diverging (for signed maps)"),
            Parameter("channel", .integer, default: Value.none, range: .atLeast(0),
                      doc: "for a stack of maps such as activations() keeps: which one (none: the first)"),
        ],
        returns: "image",
        summary: "Redraws a map's numbers with another tone mapping and colormap; the choice is written on it.",
        paragraph: "The numbers stay the same (save gives the same .npy); only how they become colours changes. "
            + "Try symmetric with diverging on a raw gradient, percentile on a saliency map. mode: [\"minmax\", \"clip\"] "
            + "draws the same numbers both ways side by side, each with its range under it (lecture 000, 1.3's two "
            + "warnings: tiny values vanish under clip, huge ones saturate).",
        example: "tonemap(saliency(model(), image(\"chelsea\")), mode: \"clip\", colormap: \"viridis\")\n"
            + "tonemap(activations(model(), image(\"coffee\"), \"conv1\"), channel: 3, mode: [\"minmax\", \"clip\"])",
        lecture: "000 (1.3, tone mapping)"
    ) { call in
        let (shape, values, title) = try map(call)
        // Redrawn numbers still cover the same part of the photo.
        var region: InputRegion?
        if case .engine(.picture(let picture)) = call.value("x") { region = picture.region }
        let tones = try modes(call)
        let colormap = Colormap(rawValue: try call.string("colormap")) ?? .gray
        var panels: [(canvas: Canvas, caption: String)] = []
        for tone in tones {
            panels.append(try panel(call, shape: shape, values: values, tone: tone, colormap: colormap, captioned: tones.count == 1))
        }
        let colors = (shape.count == 3 && shape[2] == 3) ? "rgb" : colormap.rawValue
        let names = tones.map(\.rawValue).joined(separator: " vs ")
        let picture: Canvas
        if panels.count == 1, let only = panels.first {
            picture = only.canvas
        } else {
            picture = TileGrid(title: title, tiles: panels.map(\.canvas), labels: panels.map(\.caption),
                               caption: "the same numbers under each tone mapping, \(colors)",
                               columns: panels.count, tileSize: 256).render()
        }
        return .engine(.picture(Picture(canvas: picture, title: "\(title) (\(names), \(colors))",
                                        numbers: (shape, values), region: region)))
    }

    /// The `mode:` argument: one mode or a list of them.
    static func modes(_ call: Invocation) throws -> [ToneMap] {
        let value = call.value("mode")
        let words: [String]
        if case .string(let word) = value {
            words = [word]
        } else {
            guard let elements = value.elements, !elements.isEmpty else {
                throw call.error("mode", .type, "mode expects a tone mapping or a list of them", hint: "mode: [\"minmax\", \"clip\"]")
            }
            words = try elements.map { element in
                guard case .string(let word) = element else {
                    throw call.error("mode", .type, "mode's list holds \(element.typeName), not a tone mapping name")
                }
                return word
            }
        }
        guard words.count <= 4 else { throw call.error("mode", "at most 4 tone mappings side by side, got \(words.count)") }
        return try words.map { word in
            guard let tone = ToneMap(rawValue: word.lowercased()) else {
                throw call.error("mode", "unknown tone mapping '\(word)'", hint: ToneParameter.modes.joined(separator: ", "))
            }
            return tone
        }
    }

    /// One drawing of the map under `tone`, small maps scaled up, with its caption written under
    /// it ("minmax [0, 1.65], gray") for a single panel; the caption is returned for the grid's labels.
    static func panel(_ call: Invocation, shape: [Int], values: [Float], tone: ToneMap,
                      colormap: Colormap, captioned: Bool) throws -> (canvas: Canvas, caption: String) {
        let (height, width, channels) = (shape[0], shape[1], shape.count == 3 ? shape[2] : 1)
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
        guard captioned else {
            var canvas = Canvas(width: width * scale, height: height * scale)
            canvas.drawCanvas(drawn, x: 0, y: 0, targetWidth: width * scale, targetHeight: height * scale)
            return (canvas, mapped.caption)
        }
        var enlarged = Canvas(width: width * scale, height: height * scale)
        enlarged.drawCanvas(drawn, x: 0, y: 0, targetWidth: width * scale, targetHeight: height * scale)
        let colors = channels == 3 ? "rgb" : colormap.rawValue
        return (enlarged.withCaption("\(mapped.caption), \(colors)"), mapped.caption)
    }

    /// The numbers of a picture's map or of a tensor: [H, W], or [H, W, 1 or 3] as gradients are.
    static func map(_ call: Invocation) throws -> ([Int], [Float], String) {
        switch call.value("x") {
        case .engine(.picture(let picture)):
            // A stack of maps [C, H, W] (activations): one channel of it.
            if let numbers = picture.numbers, numbers.shape.count == 3, !isMap(numbers.shape) {
                let (count, height, width) = (numbers.shape[0], numbers.shape[1], numbers.shape[2])
                let channel = call.value("channel").isNone ? 0 : try call.integer("channel")
                guard channel < count else {
                    throw call.error("channel", "\(picture.title) holds maps 0 to \(count - 1), not \(channel)")
                }
                let slice = Array(numbers.values[(channel * height * width)..<((channel + 1) * height * width)])
                return ([height, width], slice, "\(picture.title), channel \(channel)")
            }
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
