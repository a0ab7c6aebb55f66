import Foundation

/// A dataset of images with per-pixel concept labels, the input of network dissection (Bau et al.
/// 2017, "Network Dissection: Quantifying Interpretability of Deep Visual Representations",
/// CVPR; their Broden set). Concepts come in categories (object, texture, colour); a pixel has at
/// most one concept per category, so each image carries one label plane per category.
///
/// Label planes are `maskSide x maskSide`, row-major, smaller than the images as in Broden's
/// 224-pixel release (images 224, segmentations 112): value 0 is "no concept of this category",
/// value c + 1 is `concepts[c]`.
public struct ConceptSet: Sendable {
    /// The concept categories, in the order of each image's label planes.
    public enum Category: String, CaseIterable, Sendable, Codable {
        case object, texture, color
    }

    /// One labelled concept.
    public struct Concept: Sendable, Equatable, Codable {
        public let name: String
        public let category: Category

        public init(name: String, category: Category) {
            (self.name, self.category) = (name, category)
        }
    }

    public let name: String
    public let concepts: [Concept]
    /// The images, each 3 channels in 0...1 and all the same size.
    public let images: [Image]
    public let maskSide: Int
    /// Per image, `Category.allCases.count` planes of `maskSide * maskSide` labels (0 or concept + 1).
    public let labels: [[UInt8]]

    /// Checks the shapes: every image the same size with 3 channels, one label array per image of
    /// planes x maskSide^2, every label <= concepts.count, at most 255 concepts.
    /// Throws `EngineError.invalid` saying which image is wrong.
    public init(name: String, concepts: [Concept], images: [Image], maskSide: Int, labels: [[UInt8]]) throws {
        guard concepts.count <= 255 else { throw EngineError.invalid("\(name): \(concepts.count) concepts; at most 255 fit a label byte") }
        guard maskSide >= 1 else { throw EngineError.invalid("\(name): mask side \(maskSide) must be >= 1") }
        guard images.count == labels.count else {
            throw EngineError.invalid("\(name): \(images.count) images but \(labels.count) label arrays")
        }
        let planeCount = Category.allCases.count * maskSide * maskSide
        for (index, image) in images.enumerated() {
            guard image.channels == 3, image.width == images[0].width, image.height == images[0].height else {
                throw EngineError.invalid("\(name): image \(index) is \(image.width)x\(image.height)x\(image.channels); "
                                          + "every image must be RGB of the first one's size")
            }
            guard labels[index].count == planeCount else {
                throw EngineError.invalid("\(name): image \(index) has \(labels[index].count) labels, expected \(planeCount)")
            }
            if let bad = labels[index].first(where: { Int($0) > concepts.count }) {
                throw EngineError.invalid("\(name): image \(index) has label \(bad) but there are \(concepts.count) concepts")
            }
        }
        (self.name, self.concepts, self.images, self.maskSide, self.labels) = (name, concepts, images, maskSide, labels)
    }

    /// The label plane of `category` for image `index` (maskSide^2 values).
    public func plane(_ index: Int, _ category: Category) -> ArraySlice<UInt8> {
        let size = maskSide * maskSide
        let offset = (Category.allCases.firstIndex(of: category) ?? 0) * size
        return labels[index][offset..<(offset + size)]
    }

    /// How many mask pixels each concept covers over the whole set (|L_c| summed over images).
    public func pixelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: concepts.count)
        for labelArray in labels {
            for label in labelArray where label > 0 { counts[Int(label) - 1] += 1 }
        }
        return counts
    }

    /// How many images show each concept at all.
    public func imageCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: concepts.count)
        for labelArray in labels {
            var seen = [Bool](repeating: false, count: concepts.count)
            for label in labelArray where label > 0 { seen[Int(label) - 1] = true }
            for (concept, shown) in seen.enumerated() where shown { counts[concept] += 1 }
        }
        return counts
    }

    /// The images at `indices` (in that order), with their labels.
    public func subset(_ indices: [Int]) throws -> ConceptSet {
        guard let bad = indices.first(where: { !images.indices.contains($0) }) else {
            return try ConceptSet(name: name, concepts: concepts, images: indices.map { images[$0] }, maskSide: maskSide,
                                  labels: indices.map { labels[$0] })
        }
        throw EngineError.invalid("\(name): image \(bad) is outside 0..<\(images.count)")
    }

    /// `count` image indices chosen without repetition by a seeded Fisher-Yates prefix, or all of them.
    public func choose(count: Int?, using random: inout SeededRandom) -> [Int] {
        guard let count, count < images.count else { return Array(images.indices) }
        var indices = Array(images.indices)
        for position in 0..<max(0, count) { indices.swapAt(position, random.integer(in: position..<indices.count)) }
        return Array(indices.prefix(max(0, count)))
    }
}
