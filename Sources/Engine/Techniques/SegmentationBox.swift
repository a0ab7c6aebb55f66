/// GrabCut's rectangle (Rother et al. 2004, "GrabCut: interactive foreground extraction"):
/// everything outside a box around the object is certain background, and the colour model of
/// the foreground starts from everything inside it. Lecture 003 names it as the way a user (or,
/// here, the saliency map) tells GrabCut roughly where the object is.
public enum SegmentationBox: Equatable, Sendable {
    /// A rectangle in image pixels: left, top, width, height (clipped to the image).
    case rectangle(x: Int, y: Int, width: Int, height: Int)
    /// The box around the salient region: the 2nd to 98th percentile of the columns and of the
    /// rows of the pixels at or above the foreground quantile (after smoothing), widened by
    /// `margin` of its size on each side. Percentiles rather than extremes, so that a few salient
    /// specks far from the object do not stretch the box over the whole image.
    case fromSaliency(margin: Double)

    /// The box as half-open pixel ranges on a `height` x `width` image; nil when it covers no pixel.
    func ranges(height: Int, width: Int, saliency: ScalarMap, threshold: Float) -> (rows: Range<Int>, columns: Range<Int>)? {
        switch self {
        case .rectangle(let x, let y, let boxWidth, let boxHeight):
            // Clipped before a Range is formed: a box off the image would make lower > upper, a trap.
            let (left, right) = (Swift.max(0, x), Swift.min(width, x + boxWidth))
            let (top, bottom) = (Swift.max(0, y), Swift.min(height, y + boxHeight))
            guard left < right, top < bottom else { return nil }
            return (top..<bottom, left..<right)
        case .fromSaliency(let margin):
            var xs: [Int] = [], ys: [Int] = []
            for y in 0..<height {
                for x in 0..<width where saliency[y, x] >= threshold {
                    xs.append(x); ys.append(y)
                }
            }
            guard !xs.isEmpty else { return nil }
            xs.sort(); ys.sort()
            func span(_ sorted: [Int], limit: Int) -> Range<Int> {
                let low = sorted[Int(0.02 * Double(sorted.count - 1))]
                let high = sorted[Int((0.98 * Double(sorted.count - 1)).rounded(.up))]
                let pad = Int((margin * Double(high - low + 1)).rounded())
                return Swift.max(0, low - pad)..<Swift.min(limit, high + 1 + pad)
            }
            return (span(ys, limit: height), span(xs, limit: width))
        }
    }
}
