import Engine

/// Fast neural style transfer (lectures 003 and 004): one forward pass of Dumoulin et al.'s
/// 26-style network per picture, where `style` (Gatys et al.) optimises for minutes.
enum StylizeBuiltins {
    static let family = "Synthesis"

    static var all: [Builtin] { [stylize] }

    /// The longer side used when none is given: the picture's own, capped so a camera photo
    /// stays a matter of seconds.
    static let defaultLongestSide = 512
    /// The longer side of each tile of the 26-style gallery when no size is given.
    static let gallerySide = 192
    static let sizeRange = NumberRange.closed(Double(FastStyleTransfer.minimumSide), 2_048)

    static let stylize = Builtin(
        "stylize", family: family,
        parameters: [
            Parameter("img", .picture, doc: "the photo to restyle"),
            Parameter("style", .either(.integer, .list), default: Value.none,
                      doc: "a style index 0 to 25, or 26 non-negative weights mixing the styles (scaled to sum to 1); none: all 26 side by side"),
            Parameter("size", .integer, default: Value.none, range: sizeRange,
                      doc: "the longer side of the result in pixels (none: the photo's own, at most 512; 192 per picture in the gallery)"),
        ],
        returns: "image",
        summary: "Fast style transfer: the photo redrawn in one of 26 painting styles (or a mix) by one pass of a trained network.",
        paragraph: "Dumoulin, Shlens and Kudlur's multi-style network (\"A Learned Representation for Artistic Style\", 2017), "
            + "not Johnson et al.'s one-network-per-style: one network learned 26 paintings, and a style is just the scale and "
            + "shift of each instance normalisation. Weights mixing several styles interpolate between them. Sides are rounded "
            + "down to multiples of 4. Without a style, all 26 are shown on the photo, captioned with their index.",
        example: "stylize(image(\"chelsea\"), style: 7)",
        lecture: "003 and 004 (fast neural style)"
    ) { call in
        let picture = try call.picture("img")
        let size: Int? = call.value("size").isNone ? nil : try call.integer("size")
        let network = try transfer(call)
        if call.value("style").isNone {
            return try gallery(call, picture: picture, network: network, size: size ?? gallerySide)
        }
        let (weights, label) = try styleWeights(call)
        let longer = size ?? min(max(picture.image.width, picture.image.height), defaultLongestSide)
        let made = try run(call, "size") { try network.stylize(picture.image, weights: weights, longerSide: longer) }
        return .engine(.picture(Picture(image: made, title: "\(picture.title) in style \(label)")))
    }

    /// The session's network, read once.
    static func transfer(_ call: Invocation) throws -> FastStyleTransfer {
        let key = "stylize:multistyle26"
        if let cached = call.session.caches[key] as? FastStyleTransfer { return cached }
        let network = try FastStyleTransfer()
        call.session.caches[key] = network
        return network
    }

    /// The style argument as 26 weights, and how the title names it ("7" or "mix of 2, 11").
    static func styleWeights(_ call: Invocation) throws -> ([Float], String) {
        let value = call.value("style")
        let count = FastStyleTransfer.styleCount
        if case .number = value {
            guard let index = value.integerValue, (0..<count).contains(index) else {
                throw call.error("style", "style must be a whole number from 0 to \(count - 1), got \(ValueText.printed(value))",
                                 hint: "stylize(img) shows all \(count)")
            }
            return (try FastStyleTransfer.oneHot(index), "\(index)")
        }
        guard let items = value.elements else {
            throw call.error("style", .type, "style expects a style index or a list of \(count) weights, got \(value.typeName)")
        }
        guard items.count == count else {
            throw call.error("style", "style weights need \(count) values, one per style; got \(items.count)",
                             hint: "for one style give its index, e.g. style: 7")
        }
        let weights = try items.map { item -> Float in
            guard case .number(let number) = item, number.isFinite, number >= 0 else {
                throw call.error("style", "style weights must be non-negative numbers; got \(ValueText.printed(item))")
            }
            return Float(number)
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw call.error("style", "style weights are all zero; give at least one style a positive weight")
        }
        let used = weights.indices.filter { weights[$0] > 0 }
        return (weights, used.count == 1 ? "\(used[0])" : "mix of " + used.map(String.init).joined(separator: ", "))
    }

    /// All 26 styles on the photo, one tile each, captioned with the index.
    static func gallery(_ call: Invocation, picture: Picture, network: FastStyleTransfer, size: Int) throws -> Value {
        let title = "\(picture.title) in the 26 styles"
        let progress = call.session.startProgress(title)
        var tiles: [Canvas] = []
        for style in 0..<FastStyleTransfer.styleCount {
            try Cancellation.check()
            let made = try run(call, "size") { try network.stylize(picture.image, weights: try FastStyleTransfer.oneHot(style), longerSide: size) }
            tiles.append(Canvas(image: made))
            progress.report(step: style + 1, total: FastStyleTransfer.styleCount, picture: nil)
        }
        progress.finish("\(title): \(tiles.count) forward passes")
        var grid = TileGrid(title: title, tiles: tiles, labels: (0..<tiles.count).map { "style \($0)" },
                            caption: "Dumoulin et al.'s multi-style network; stylize(img, style: k) for one", columns: 7, tileSize: 160)
        grid.interpolation = .bilinear
        return .engine(.picture(Picture(canvas: grid.render(), title: title)))
    }

    /// Runs the engine, turning a too-small picture into an error on `argument`.
    static func run<T>(_ call: Invocation, _ argument: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch EngineError.invalid(let message) where message.contains("each side needs at least") {
            throw call.error(argument, "image too small: \(message)", hint: "give a larger size (the longer side in pixels)")
        }
    }
}
