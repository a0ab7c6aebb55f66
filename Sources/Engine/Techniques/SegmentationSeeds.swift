import Foundation

/// Which pixels a saliency map makes certain: the most salient are foreground, the least
/// salient and the image border (and, with a box, everything outside it) are background, the
/// rest is left to the graph cut.
struct SegmentationSeeds {
    enum Kind: UInt8 { case unknown, foreground, background }

    let kind: [Kind]
    /// The box's rows and columns when the options asked for one.
    let box: (rows: Range<Int>, columns: Range<Int>)?

    /// `saliency` must already have the image's size; its NaN pixels (never measured) seed
    /// neither side, and the quantiles are those of the measured pixels only. The map is first
    /// smoothed (`options.blur`): a raw gradient map is speckle, and its top 5% taken pixel by
    /// pixel are scattered dots on the object and off it, each of which would be a hard seed.
    init(saliency raw: ScalarMap, options: GraphCutSegmentation.Options) throws {
        let (height, width) = (raw.height, raw.width)
        let sigma = options.blur ?? 0.015 * Float(Swift.min(height, width))
        let saliency = sigma > 0 ? SegmentationSeeds.smoothed(raw, sigma: sigma) : raw
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
        var box: (rows: Range<Int>, columns: Range<Int>)? = nil
        if let wanted = options.box {
            guard let ranges = wanted.ranges(height: height, width: width, saliency: saliency, threshold: high) else {
                throw EngineError.invalid("segment: the box covers none of the \(width)x\(height) image")
            }
            box = ranges
        }
        let border = options.borderWidth ?? Swift.max(1, Swift.min(height, width) / 50)
        var kind = [Kind](repeating: .unknown, count: height * width)
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                let value = saliency.values[index]
                let onBorder = y < border || x < border || y >= height - border || x >= width - border
                let outsideBox = box.map { !$0.rows.contains(y) || !$0.columns.contains(x) } ?? false
                // Border first: an object touching the frame still gets a background ring.
                // Inside a box only the salient seeds count: the box already says where the
                // background is, as in GrabCut.
                if onBorder || outsideBox || (box == nil && value <= low) {
                    kind[index] = .background
                } else if value >= high {
                    kind[index] = .foreground
                }
            }
        }
        guard kind.contains(.foreground) else {
            throw EngineError.invalid("segment: every salient pixel lies on the \(border)-pixel border or outside the box; no foreground seed is left")
        }
        self.kind = kind
        self.box = box
    }

    func count(of wanted: Kind) -> Int { kind.reduce(0) { $0 + ($1 == wanted ? 1 : 0) } }

    func colors(_ colors: [SIMD3<Double>], of wanted: Kind) -> [SIMD3<Double>] {
        kind.indices.filter { kind[$0] == wanted }.map { colors[$0] }
    }

    /// The colours GrabCut fits its first foreground model to: with a box, every pixel inside it
    /// that is not background (Rother et al.'s initialisation); without, the foreground seeds.
    func initialForegroundColors(_ colors: [SIMD3<Double>], width: Int) -> [SIMD3<Double>] {
        guard let box else { return self.colors(colors, of: .foreground) }
        return kind.indices.filter {
            kind[$0] != .background && box.rows.contains($0 / width) && box.columns.contains($0 % width)
        }.map { colors[$0] }
    }

    /// Gaussian smoothing that ignores NaN (unmeasured) pixels: a normalised convolution, the
    /// weighted mean of the measured neighbours, so the edge of the network's crop does not
    /// darken; unmeasured pixels stay NaN. Separable, truncated at 3 sigma.
    static func smoothed(_ map: ScalarMap, sigma: Float) -> ScalarMap {
        let radius = Swift.max(1, Int((3 * sigma).rounded(.up)))
        let kernel = (-radius...radius).map { Foundation.exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let (height, width) = (map.height, map.width)
        let values = map.values.map { $0.isNaN ? Float(0) : $0 }
        let weights = map.values.map { $0.isNaN ? Float(0) : 1 }
        func pass(_ input: [Float], horizontal: Bool) -> [Float] {
            var output = [Float](repeating: 0, count: input.count)
            for y in 0..<height {
                for x in 0..<width {
                    var sum: Float = 0
                    for offset in -radius...radius {
                        let (yy, xx) = horizontal ? (y, x + offset) : (y + offset, x)
                        guard yy >= 0, yy < height, xx >= 0, xx < width else { continue }
                        sum += kernel[offset + radius] * input[yy * width + xx]
                    }
                    output[y * width + x] = sum
                }
            }
            return output
        }
        let blurred = pass(pass(values, horizontal: true), horizontal: false)
        let mass = pass(pass(weights, horizontal: true), horizontal: false)
        var result = [Float](repeating: .nan, count: values.count)
        for index in result.indices where !map.values[index].isNaN && mass[index] > 0 {
            result[index] = blurred[index] / mass[index]
        }
        return ScalarMap(validHeight: height, width: width, values: result)
    }
}
