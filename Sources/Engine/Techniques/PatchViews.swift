/// What a maximally activating patch is shown beside (lecture 000, 1.7 and 1.15; Springenberg et
/// al. 2015, figure 2 of Zeiler & Fergus 2014): the image the unit looked at with its receptive
/// field drawn on it, and the guided backpropagation of that very unit cropped to the same field
/// ("left are the maximally activating patches, right are the results using guided backprop").
public enum PatchViews {
    /// The views drawn for each patch, in this order after the crop itself.
    public struct Options: Sendable, Equatable {
        /// The whole view the network saw, shrunk to the tile, with the receptive field outlined.
        public var context = false
        /// Guided backpropagation of the patch's unit, cropped to its receptive field.
        public var guided = false
        public init(context: Bool = false, guided: Bool = false) {
            (self.context, self.guided) = (context, guided)
        }
        public var isEmpty: Bool { !context && !guided }
        /// Tiles per patch, the crop included.
        public var tilesPerPatch: Int { 1 + (context ? 1 : 0) + (guided ? 1 : 0) }
    }

    /// Outline colour of the receptive field: a saturated yellow that stands out on photos.
    static let outline = RGBColor(red: 1, green: 0.85, blue: 0)

    /// The image the search showed the network for `patch`: the whole image or its crop view,
    /// resized and cropped to the network's input as every technique does.
    static func seenImage(_ patch: Patch, images: [Image], probe: NetworkProbe) throws -> Image {
        guard images.indices.contains(patch.imageIndex) else {
            throw EngineError.invalid("patches: image \(patch.imageIndex) is outside the \(images.count) images searched")
        }
        let source = images[patch.imageIndex]
        let view = patch.view.map { source.cropped(x0: $0.x0, y0: $0.y0, side: $0.side) } ?? source
        return try probe.network.deprocess(try probe.input(view))
    }

    /// The view as the network saw it with the receptive field [x0, x1) x [y0, y1) outlined,
    /// the outline two pixels thick so it survives the shrink to a tile.
    public static func context(_ patch: Patch, seen: Image) -> Canvas {
        var canvas = Canvas(image: seen)
        let thickness = Swift.max(2, Swift.min(seen.width, seen.height) / 60)
        canvas.strokeRect(x: patch.x0, y: patch.y0, width: patch.x1 - patch.x0, height: patch.y1 - patch.y0,
                          color: outline, thickness: thickness)
        return canvas
    }

    /// Guided backpropagation from the patch's own unit (layer, channel, row, column) on the view
    /// the network saw, cropped to the receptive field; zero is grey and signs are brighter or
    /// darker, scaled by the crop's own 99.5th percentile of |gradient|. Returns the drawing and
    /// the raw gradient crop (HWC).
    public static func guided(_ patch: Patch, layer: String, channel: Int, seen: Image,
                              network: Network) throws -> (canvas: Canvas, gradient: [Float]) {
        let result = try InputGradient.compute(network: network, image: seen,
                                               target: .position(layer: layer, channel: channel, y: patch.y, x: patch.x),
                                               options: InputGradient.Options(rule: .guided))
        let (width, height, channels) = (patch.x1 - patch.x0, patch.y1 - patch.y0, result.image.channels)
        var crop = [Float](repeating: 0, count: Swift.max(0, width * height * channels))
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    crop[(y * width + x) * channels + c] =
                        result.gradient[((patch.y0 + y) * result.image.width + patch.x0 + x) * channels + c]
                }
            }
        }
        let (canvas, _) = TechniqueCanvas.signedCanvas(values: crop, height: height, width: width, channels: channels)
        return (canvas, crop)
    }

    /// Every tile of `result`'s row: for each patch its crop, then the views `options` asks for.
    public static func tiles(_ result: PatchResult, images: [Image], network: Network,
                             options: Options) throws -> [Canvas] {
        let probe = NetworkProbe(network: network, technique: "patches")
        var tiles: [Canvas] = []
        for patch in result.patches {
            try Cancellation.check()
            tiles.append(Canvas(image: patch.crop))
            guard !options.isEmpty else { continue }
            let seen = try seenImage(patch, images: images, probe: probe)
            if options.context { tiles.append(context(patch, seen: seen)) }
            if options.guided { tiles.append(try guided(patch, layer: result.layer, channel: result.channel, seen: seen, network: network).canvas) }
        }
        return tiles
    }
}
