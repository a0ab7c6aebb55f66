import Foundation

/// A labelled image collection fetched at set-up ("photos", "clipart"): the rows of
/// `<assets>/collections/<name>.json`, which `scripts/asset_collections.py` writes (one row per
/// file: file relative to the asset directory, label, source, licence, sha256, and `mask:
/// "alpha"` for a cut-out whose alpha channel is its object mask).
///
/// Cut-outs (the Tux Paint photo stamps) are composited over a neutral grey (0.5) so a
/// classifier sees the object, not a white page; their alpha is kept as `mask` for dissection.
public struct ImageCollection: Sendable {
    /// One file of the collection.
    public struct Entry: Sendable, Decodable {
        public let file: String
        public let label: String
        public let source: String
        public let licence: String
        public let mask: String?
    }

    /// A loaded member: the image (3 channels, 0...1), and for a cut-out its alpha mask
    /// [height * width] in 0...1 (row-major, the image's own size).
    public struct Member {
        public let entry: Entry
        public let image: Image
        public let mask: [Float]?
    }

    /// The collections `load` knows, in the order `credits` lists them.
    public static let names = ["photos", "clipart"]
    /// Smaller images are enlarged (bilinear) to this shorter side, so every network's windows fit.
    public static let minimumSide = 64
    /// The grey cut-outs are composited on.
    public static let background: Float = 0.5
    /// Cut-outs longer than this ratio of their sides (a 22x160 pencil) get grey borders on their
    /// short side, so shrinking the long side to `maxSide` leaves a short side a network can read.
    public static let maximumAspect = 2

    public let name: String
    public let entries: [Entry]
    let root: URL

    /// Reads collection `name`'s index. Throws `EngineError.invalid` for an unknown name and
    /// `EngineError.io` when the collection has not been fetched (naming `make setup`).
    public init(_ name: String) throws {
        guard Self.names.contains(name) else {
            throw EngineError.invalid("there is no image collection '\(name)'; the collections are \(Self.names.joined(separator: ", "))")
        }
        try self.init(name, root: try AssetDirectory.locate())
    }

    /// Reads collection `name`'s index under asset directory `root`.
    init(_ name: String, root: URL) throws {
        self.root = root
        let index = root.appendingPathComponent("collections/\(name).json")
        guard let data = try? Data(contentsOf: index) else {
            throw EngineError.io("the '\(name)' collection is not installed (\(index.path) is missing): run `make setup`")
        }
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw EngineError.format("\(index.path): not a collection index (\(error.localizedDescription))")
        }
        self.name = name
    }

    /// `count` entry indices chosen without repetition by a Fisher-Yates prefix (the same seed
    /// picks the same images), or every index in order when `count` is nil or covers them all.
    public func choose(count: Int?, using random: inout SeededRandom) -> [Int] {
        guard let count, count < entries.count else { return Array(entries.indices) }
        var indices = Array(entries.indices)
        for position in 0..<max(0, count) {
            indices.swapAt(position, random.integer(in: position..<indices.count))
        }
        return Array(indices.prefix(max(0, count)))
    }

    /// Loads entry `index`, shrunk (area averaging) so its longer side is at most `maxSide`
    /// pixels when it is larger, which bounds the memory of thousands of images, or enlarged to a
    /// shorter side of `minimumSide` (as far as `maxSide` allows) when it is smaller than that. The mask is
    /// of the returned image's size. Throws `EngineError.io`/`.format` naming the file.
    public func load(_ index: Int, maxSide: Int) throws -> Member {
        let entry = entries[index]
        let path = root.appendingPathComponent(entry.file).path
        var image: Image
        var mask: [Float]?
        if entry.mask == "alpha" {
            let decoded = try PNGCodec.decodeCutout(try BoundedFile.read(path, as: .image), source: entry.file,
                                                    background: Self.background)
            (image, mask) = (decoded.image, decoded.alpha)
        } else {
            image = try ImageFile.load(path: path)
        }
        if image.channels == 1 {
            image = Image(validWidth: image.width, height: image.height, channels: 3,
                          pixels: image.pixels.flatMap { [$0, $0, $0] })
        }
        if let alpha = mask { (image, mask) = Self.padded(image, mask: alpha, maxAspect: Self.maximumAspect) }
        let longer = max(image.width, image.height), shorter = min(image.width, image.height)
        let width: Int, height: Int
        if longer > maxSide {
            (width, height) = (max(1, image.width * maxSide / longer), max(1, image.height * maxSide / longer))
        } else if shorter < Self.minimumSide, longer < maxSide {
            // A few stamps are tiny (a 25x22 walnut); networks need their windows to fit. Never past maxSide.
            let scale = min(Double(Self.minimumSide) / Double(max(shorter, 1)), Double(maxSide) / Double(longer))
            (width, height) = (Int((Double(image.width) * scale).rounded()), Int((Double(image.height) * scale).rounded()))
        } else {
            return Member(entry: entry, image: image, mask: mask)
        }
        let shrunk = try image.resized(width: width, height: height)
        if let full = mask {
            let plane = Image(validWidth: image.width, height: image.height, channels: 1, pixels: full)
            mask = try plane.resized(width: width, height: height).pixels
        }
        return Member(entry: entry, image: shrunk, mask: mask)
    }

    /// `image` centred on a `background` canvas whose sides are at most `maxAspect` to 1, and
    /// `mask` (its alpha) padded with 0 (no object) to match; unchanged when already within it.
    static func padded(_ image: Image, mask: [Float], maxAspect: Int) -> (Image, [Float]) {
        let width = max(image.width, (image.height + maxAspect - 1) / maxAspect)
        let height = max(image.height, (image.width + maxAspect - 1) / maxAspect)
        guard width != image.width || height != image.height else { return (image, mask) }
        let (left, top) = ((width - image.width) / 2, (height - image.height) / 2)
        var pixels = [Float](repeating: background, count: width * height * image.channels)
        var plane = [Float](repeating: 0, count: width * height)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let target = (y + top) * width + x + left, source = y * image.width + x
                plane[target] = mask[source]
                for channel in 0..<image.channels {
                    pixels[target * image.channels + channel] = image.pixels[source * image.channels + channel]
                }
            }
        }
        return (Image(validWidth: width, height: height, channels: image.channels, pixels: pixels), plane)
    }

    /// One row per source package: where the files come from, under which licence, how many.
    public func credits() -> [(source: String, licence: String, count: Int)] {
        var order: [String] = []
        var rows: [String: (licence: String, count: Int)] = [:]
        for entry in entries {
            let key = Self.package(of: entry.source)
            if rows[key] == nil { order.append(key); rows[key] = (entry.licence, 0) }
            rows[key]?.count += 1
        }
        return order.map { ($0, rows[$0]?.licence ?? "", rows[$0]?.count ?? 0) }
    }

    /// "debian:openclipart-png==1:0.18+dfsg-19:./usr/share/..." -> "debian:openclipart-png==1:0.18+dfsg-19":
    /// the version ends at the first ':' not followed by a digit (a Debian epoch is "1:").
    static func package(of source: String) -> String {
        guard let equals = source.range(of: "==") else { return source }
        var index = equals.upperBound
        while index < source.endIndex {
            let next = source.index(after: index)
            if source[index] == ":", next == source.endIndex || !source[next].isNumber { return String(source[..<index]) }
            index = next
        }
        return source
    }
}
