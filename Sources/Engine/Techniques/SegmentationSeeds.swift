/// Which pixels a saliency map makes certain: the most salient are foreground, the least
/// salient and the image border are background, the rest is left to the graph cut.
struct SegmentationSeeds {
    enum Kind: UInt8 { case unknown, foreground, background }

    let kind: [Kind]

    /// `saliency` must already have the image's size; its NaN pixels (never measured) seed
    /// neither side, and the quantiles are those of the measured pixels only.
    init(saliency: ScalarMap, options: GraphCutSegmentation.Options) throws {
        let (height, width) = (saliency.height, saliency.width)
        let measured = saliency.values.filter { !$0.isNaN }
        guard !measured.isEmpty else {
            throw EngineError.invalid("segment: the saliency map covers none of the image")
        }
        let measuredMap = ScalarMap(validHeight: 1, width: measured.count, values: measured)
        let high = measuredMap.quantile(options.foregroundQuantile)
        let low = measuredMap.quantile(options.backgroundQuantile)
        guard high > low else {
            throw EngineError.invalid("segment: the saliency map is flat (its \(options.backgroundQuantile) and \(options.foregroundQuantile) quantiles are both \(low)); nothing marks a foreground")
        }
        let border = options.borderWidth ?? Swift.max(1, Swift.min(height, width) / 50)
        var kind = [Kind](repeating: .unknown, count: height * width)
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                let value = saliency.values[index]
                let onBorder = y < border || x < border || y >= height - border || x >= width - border
                // Border first: an object touching the frame still gets a background ring.
                if onBorder || value <= low {
                    kind[index] = .background
                } else if value >= high {
                    kind[index] = .foreground
                }
            }
        }
        guard kind.contains(.foreground) else {
            throw EngineError.invalid("segment: every salient pixel lies on the \(border)-pixel border; no foreground seed is left")
        }
        self.kind = kind
    }

    func count(of wanted: Kind) -> Int { kind.reduce(0) { $0 + ($1 == wanted ? 1 : 0) } }

    func colors(_ colors: [SIMD3<Double>], of wanted: Kind) -> [SIMD3<Double>] {
        kind.indices.filter { kind[$0] == wanted }.map { colors[$0] }
    }
}
