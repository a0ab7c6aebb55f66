/// Sums network dissection's intersections and mask sizes over images (Bau et al. 2017,
/// eq. 1): for unit k and concept c, |M_k ∩ L_c| and |M_k| where M_k is the unit's map upsampled
/// bilinearly (align_corners = false) to the label masks' size and thresholded at T_k.
public struct IoUAccumulator {
    public let units: Int
    public let concepts: Int
    public let maskSide: Int
    /// [units * concepts]: summed |M_k ∩ L_c|.
    public private(set) var intersections: [Int]
    /// [units]: summed |M_k|.
    public private(set) var maskSizes: [Int]

    public init(units: Int, concepts: Int, maskSide: Int) {
        (self.units, self.concepts, self.maskSide) = (units, concepts, maskSide)
        intersections = [Int](repeating: 0, count: units * concepts)
        maskSizes = [Int](repeating: 0, count: units)
    }

    /// The map of `unit` (height x width values) upsampled bilinearly to side x side.
    public static func upsample(_ map: [Float], height: Int, width: Int, side: Int) -> [Float] {
        Interpolation.bilinear.resample(map, height: height, width: width, toHeight: side, toWidth: side)
    }

    /// Adds item `item` of `activation` [N, units, H, W] against its label planes (planes of
    /// maskSide^2, 0 = none, c + 1 = concept c). A unit whose map never exceeds its threshold is
    /// skipped: bilinear upsampling cannot exceed the map's maximum.
    public mutating func add(_ activation: Tensor, item: Int, thresholds: [Float], labels: [UInt8]) {
        let (height, width) = (activation.shape[2], activation.shape[3])
        let plane = height * width, size = maskSide * maskSide
        let planes = labels.count / size
        let rows = Interpolation.bilinear.taps(source: height, target: maskSide)
        let columns = Interpolation.bilinear.taps(source: width, target: maskSide)
        for unit in 0..<units {
            let base = (item * units + unit) * plane
            let map = Array(activation.data[base..<(base + plane)])
            let threshold = thresholds[unit]
            guard let peak = map.max(), peak > threshold else { continue }
            let upsampled = Interpolation.bilinear.resample(map, planes: 1, height: height, width: width, rows: rows, columns: columns)
            var inside = 0
            let row = unit * concepts
            for pixel in 0..<size where upsampled[pixel] > threshold {
                inside += 1
                for planeIndex in 0..<planes {
                    let label = Int(labels[planeIndex * size + pixel])
                    if label > 0 { intersections[row + label - 1] += 1 }
                }
            }
            maskSizes[unit] += inside
        }
    }

    /// IoU [units * concepts] given each concept's summed |L_c| (0 where the union is empty).
    public func iou(labelCounts: [Int]) -> [Float] {
        var result = [Float](repeating: 0, count: units * concepts)
        for unit in 0..<units {
            for concept in 0..<concepts {
                let intersection = intersections[unit * concepts + concept]
                let union = maskSizes[unit] + labelCounts[concept] - intersection
                result[unit * concepts + concept] = union > 0 ? Float(intersection) / Float(union) : 0
            }
        }
        return result
    }
}
