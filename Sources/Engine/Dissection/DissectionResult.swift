import Foundation

/// What network dissection found at one layer: each unit's threshold, its IoU with every
/// concept, and its label (the best concept when its IoU exceeds the label threshold).
public struct DissectionResult: Sendable {
    public let layer: String
    public let concepts: [ConceptSet.Concept]
    /// T_k per unit (activation units of the layer).
    public let thresholds: [Float]
    /// [units * concepts], row-major by unit.
    public let iou: [Float]
    public let labelThreshold: Float
    /// The share of each unit's activations above its threshold (0.005 in Bau et al.).
    public var quantile: Double = 0.005
    /// Images that counted (fewer than given after an interrupt).
    public let imagesUsed: Int
    public let imagesGiven: Int
    /// Per unit, the indices of the images with its strongest maxima, strongest first.
    public let topImages: [[Int]]

    public var unitCount: Int { thresholds.count }
    public var stopped: Bool { imagesUsed < imagesGiven }

    /// One unit's best concept.
    public struct UnitLabel: Sendable, Equatable {
        public let unit: Int
        public let concept: Int
        public let iou: Float
    }

    /// Every unit's best concept (ties to the earlier concept), strongest IoU first (ties by unit).
    public func bestConcepts() -> [UnitLabel] {
        let count = concepts.count
        return (0..<unitCount).map { unit in
            var best = 0
            for concept in 0..<count where iou[unit * count + concept] > iou[unit * count + best] { best = concept }
            return UnitLabel(unit: unit, concept: best, iou: count > 0 ? iou[unit * count + best] : 0)
        }.sorted { $0.iou != $1.iou ? $0.iou > $1.iou : $0.unit < $1.unit }
    }

    /// The units whose best IoU exceeds `labelThreshold`, strongest first.
    public func labelledUnits() -> [UnitLabel] {
        bestConcepts().filter { $0.iou > labelThreshold }
    }

    /// How many labelled units each category claims, in `ConceptSet.Category.allCases` order.
    public func unitsPerCategory() -> [Int] {
        var counts = [Int](repeating: 0, count: ConceptSet.Category.allCases.count)
        for label in labelledUnits() {
            if let slot = ConceptSet.Category.allCases.firstIndex(of: concepts[label.concept].category) { counts[slot] += 1 }
        }
        return counts
    }

    /// How many distinct concepts the labelled units name.
    public func distinctConcepts() -> Int { Set(labelledUnits().map(\.concept)).count }

    /// The lecture's figure: for each of the `units` best units (labelled ones first; IoU order),
    /// a row of its strongest images with the thresholded region outlined in yellow and the rest
    /// dimmed, the row's first tile captioned "unit k: concept (IoU)". The maps are recomputed for
    /// these few images at the image's own size.
    public func renderUnits(network: Network, set: ConceptSet, units: Int = 6, tileSize: Int = 112) throws -> Canvas {
        let chosen = Array(bestConcepts().prefix(max(0, units)))
        let probe = NetworkProbe(network: network, technique: "dissect")
        let columns = max(1, chosen.map { topImages[$0.unit].count }.max() ?? 1)
        var tiles: [Canvas] = [], labels: [String] = []
        var maps: [Int: Tensor] = [:]
        for label in chosen {
            let images = topImages[label.unit]
            for (column, index) in images.enumerated() {
                try Cancellation.check()
                if maps[index] == nil {
                    let (output, captured) = try network.forward(try probe.input(set.images[index]), capture: [layer], until: layer)
                    maps[index] = captured[layer] ?? output
                }
                guard let activation = maps[index] else { continue }
                tiles.append(Canvas(image: outlined(set.images[index], activation: activation, unit: label.unit)))
                let concept = concepts[label.concept]
                // The unit and its concept under the first image, the IoU under the second, so
                // neither is cut to fit one tile.
                labels.append(column == 0 ? "unit \(label.unit): \(concept.name)"
                              : column == 1 ? "IoU \(String(format: "%.2f", label.iou))" : "")
            }
            for _ in images.count..<columns { tiles.append(Canvas(width: 1, height: 1)); labels.append("") }
        }
        let title = "\(layer): best \(chosen.count) of \(unitCount) units, \(labelledUnits().count) labelled (IoU > \(NumberLabel.format(labelThreshold)))"
        return TileGrid(title: title, tiles: tiles, labels: labels,
                        caption: "one row per unit, its strongest images; outline = activation above its top-\(NumberLabel.format(Float(quantile * 100)))% threshold",
                        columns: columns, tileSize: tileSize).renderSmooth()
    }

    /// `image` with the unit's upsampled map above T_k outlined (yellow, 2 px) and the rest at half brightness.
    func outlined(_ image: Image, activation: Tensor, unit: Int) -> Image {
        let (height, width) = (activation.shape[2], activation.shape[3])
        let plane = height * width
        let map = Array(activation.data[(unit * plane)..<((unit + 1) * plane)])
        let upsampled = Interpolation.bilinear.resample(map, height: height, width: width, toHeight: image.height, toWidth: image.width)
        let threshold = thresholds[unit]
        var result = image
        func inside(_ x: Int, _ y: Int) -> Bool {
            x >= 0 && y >= 0 && x < image.width && y < image.height && upsampled[y * image.width + x] > threshold
        }
        for y in 0..<image.height {
            for x in 0..<image.width {
                let index = (y * image.width + x) * image.channels
                if !inside(x, y) {
                    for channel in 0..<image.channels { result.pixels[index + channel] *= 0.5 }
                    continue
                }
                let edge = !(inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1)
                             && inside(x - 2, y) && inside(x + 2, y) && inside(x, y - 2) && inside(x, y + 2))
                if edge, image.channels == 3 { (result.pixels[index], result.pixels[index + 1], result.pixels[index + 2]) = (1, 0.9, 0) }
            }
        }
        return result
    }
}
