import Foundation

/// "broden-lite": a small stand-in for Broden (Bau et al. 2017), composed from labelled pixels
/// fetched at set-up, so network dissection can run offline.
///
/// - objects: the Tux Paint photo cut-outs (`photos` collection, alpha = mask) pasted at seeded
///   random places and scales onto the Scratch scene photos, 1 to 3 per scene, later ones on
///   top; a pixel is the stamp's where its alpha is >= 0.5. Stamps are grouped into concepts by
///   their Tux Paint folder (`objectGroups`: "animals/birds" -> bird), since most stamps are one
///   of a kind; groups with fewer than `minimumStamps` stamps are left out.
/// - textures: GIMP's photographed patterns (`textures` collection, Debian `gimp-data`) tiled into
///   one rectangle of 30-60% of the side per image in 70% of the images; concept = the
///   pattern's folder (wood, stone, water, ...). Stamps pasted over it hide it.
/// - colours: every mask pixel's colour name (`ColorNames`) in the image shrunk to the mask size.
///
/// The recipe is fixed (seed `seed`), so every machine composes the same images.
public enum BrodenLite {
    public static let name = "broden-lite"
    public static let imageSide = 224
    public static let maskSide = 112
    public static let imageCount = 300
    public static let seed: UInt64 = 2017
    public static let minimumStamps = 5
    /// Tux Paint stamp folder (below the stamps root) -> object concept; the longest prefix wins.
    static let objectGroups: [(prefix: String, concept: String)] = [
        ("animals/birds", "bird"), ("animals/mammals", "mammal"), ("animals/marsupials", "mammal"),
        ("animals/fish", "fish"), ("animals/insects", "insect"), ("food/fruit", "fruit"),
        ("food/vegetables", "vegetable"), ("food/nuts", "nut"), ("plants/flowers", "flower"), ("plants/trees", "tree"),
        ("plants/mushrooms", "mushroom"), ("household/tools", "tool"), ("space/planets", "planet"), ("space/moon", "planet"),
        ("vehicles", "vehicle"), ("military/vehicles", "vehicle"), ("hobbies/music", "musical instrument"),
        ("sports", "ball"),
    ]

    /// The object concept of a Tux Paint stamp at `path` (relative to the stamps root), or nil.
    static func objectConcept(of path: String) -> String? {
        objectGroups.filter { path.hasPrefix($0.prefix + "/") }.max { $0.prefix.count < $1.prefix.count }?.concept
    }

    /// Composes the set from the collections under asset directory `root`. `progress` counts
    /// images. Throws `EngineError.io` when a collection is missing (naming `make setup`).
    public static func compose(root: URL, count: Int = imageCount, progress: TechniqueProgress? = nil) throws -> ConceptSet {
        let photos = try ImageCollection("photos", root: root)
        let textures = try ImageCollection("textures", root: root)
        let stampRoot = "photos/tuxpaint/"
        let scenes = photos.entries.indices.filter { photos.entries[$0].file.hasPrefix("photos/scratch/") }
        var stampsByConcept: [String: [Int]] = [:]
        for index in photos.entries.indices where photos.entries[index].mask == "alpha" {
            let file = photos.entries[index].file
            guard file.hasPrefix(stampRoot), let concept = objectConcept(of: String(file.dropFirst(stampRoot.count))) else { continue }
            stampsByConcept[concept, default: []].append(index)
        }
        let objectNames = stampsByConcept.filter { $0.value.count >= minimumStamps }.keys.sorted()
        let textureNames = Array(Set(textures.entries.map { $0.label.lowercased() })).sorted()
        guard !scenes.isEmpty, !objectNames.isEmpty, !textureNames.isEmpty else {
            throw EngineError.io("\(name): the photos or textures collection has no scenes, stamps or patterns: run `make setup`")
        }
        let concepts = objectNames.map { ConceptSet.Concept(name: $0, category: .object) }
            + textureNames.map { ConceptSet.Concept(name: $0, category: .texture) }
            + ColorNames.names.map { ConceptSet.Concept(name: $0, category: .color) }
        let stamps = objectNames.flatMap { concept in (stampsByConcept[concept] ?? []).map { (concept: concept, entry: $0) } }
        var patterns: [(image: Image, concept: Int)] = []
        for entry in textures.entries {
            let bytes = try BoundedFile.read(root.appendingPathComponent(entry.file).path, as: .image)
            let decoded = try GIMPPattern.decode(bytes, source: entry.file)
            patterns.append((decoded.image, objectNames.count + (textureNames.firstIndex(of: entry.label.lowercased()) ?? 0)))
        }
        var stampCache: [Int: ImageCollection.Member] = [:]
        var sceneCache: [Int: Image] = [:]
        var images: [Image] = [], labels: [[UInt8]] = []
        for index in 0..<count {
            try Cancellation.check()
            var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
            let sceneEntry = scenes[random.integer(in: 0..<scenes.count)]
            if sceneCache[sceneEntry] == nil { sceneCache[sceneEntry] = try photos.load(sceneEntry, maxSide: 480).image }
            var canvas = try sceneCrop(sceneCache[sceneEntry] ?? Image(width: 1, height: 1, channels: 3, value: 0.5), random: &random)
            var objectPlane = [UInt8](repeating: 0, count: imageSide * imageSide)
            var texturePlane = [UInt8](repeating: 0, count: imageSide * imageSide)
            if random.uniform() < 0.7 {
                let pattern = patterns[random.integer(in: 0..<patterns.count)]
                tile(pattern.image, label: UInt8(pattern.concept + 1), into: &canvas, plane: &texturePlane, random: &random)
            }
            for _ in 0..<(1 + random.integer(in: 0..<3)) {
                let stamp = stamps[random.integer(in: 0..<stamps.count)]
                if stampCache[stamp.entry] == nil { stampCache[stamp.entry] = try photos.load(stamp.entry, maxSide: 160) }
                guard let member = stampCache[stamp.entry], let alpha = member.mask else { continue }
                let label = UInt8((objectNames.firstIndex(of: stamp.concept) ?? 0) + 1)
                try paste(member.image, alpha: alpha, label: label, into: &canvas, objects: &objectPlane,
                          textures: &texturePlane, random: &random)
            }
            images.append(canvas)
            labels.append(try maskPlanes(canvas, objects: objectPlane, textures: texturePlane, colorOffset: objectNames.count + textureNames.count))
            progress?(index + 1, count)
        }
        return try ConceptSet(name: name, concepts: concepts, images: images, maskSide: maskSide, labels: labels)
    }

    /// A random square of 60-100% of the scene's shorter side, resized to `imageSide`.
    static func sceneCrop(_ scene: Image, random: inout SeededRandom) throws -> Image {
        let shorter = min(scene.width, scene.height)
        let side = max(1, Int(Float(shorter) * random.uniform(0.6, 1.0)))
        let x0 = random.integer(in: 0..<(scene.width - side + 1)), y0 = random.integer(in: 0..<(scene.height - side + 1))
        return try scene.cropped(x0: x0, y0: y0, side: side).resized(width: imageSide, height: imageSide)
    }

    /// Tiles `pattern` (at a random offset) over a random rectangle of 30-60% of the side per axis.
    static func tile(_ pattern: Image, label: UInt8, into canvas: inout Image, plane: inout [UInt8], random: inout SeededRandom) {
        let width = Int(Float(imageSide) * random.uniform(0.3, 0.6)), height = Int(Float(imageSide) * random.uniform(0.3, 0.6))
        let x0 = random.integer(in: 0..<(imageSide - width + 1)), y0 = random.integer(in: 0..<(imageSide - height + 1))
        let dx = random.integer(in: 0..<pattern.width), dy = random.integer(in: 0..<pattern.height)
        for y in y0..<(y0 + height) {
            for x in x0..<(x0 + width) {
                let source = (((y + dy) % pattern.height) * pattern.width + (x + dx) % pattern.width) * 3
                for channel in 0..<3 { canvas.pixels[(y * imageSide + x) * 3 + channel] = pattern.pixels[source + channel] }
                plane[y * imageSide + x] = label
            }
        }
    }

    /// Pastes a cut-out scaled so its longer side is 25-65% of the image side, wholly inside,
    /// alpha-blended; its pixels with alpha >= 0.5 become `label` and lose their texture label.
    static func paste(_ stamp: Image, alpha: [Float], label: UInt8, into canvas: inout Image, objects: inout [UInt8],
                      textures: inout [UInt8], random: inout SeededRandom) throws {
        let longer = Float(imageSide) * random.uniform(0.25, 0.65)
        let scale = longer / Float(max(stamp.width, stamp.height))
        let width = max(1, min(imageSide, Int(Float(stamp.width) * scale))), height = max(1, min(imageSide, Int(Float(stamp.height) * scale)))
        let image = try stamp.resized(width: width, height: height)
        let mask = try Image(width: stamp.width, height: stamp.height, channels: 1, pixels: alpha).resized(width: width, height: height).pixels
        let x0 = random.integer(in: 0..<(imageSide - width + 1)), y0 = random.integer(in: 0..<(imageSide - height + 1))
        for y in 0..<height {
            for x in 0..<width {
                let a = min(max(mask[y * width + x], 0), 1), target = (y0 + y) * imageSide + x0 + x
                for channel in 0..<3 {
                    let index = target * 3 + channel
                    canvas.pixels[index] = a * image.pixels[(y * width + x) * 3 + channel] + (1 - a) * canvas.pixels[index]
                }
                if a >= 0.5 { objects[target] = label; textures[target] = 0 }
            }
        }
    }

    /// The object, texture and colour planes at `maskSide`: labels sampled at each 2x2 block's
    /// top-left pixel, colours named from the block's mean (the image shrunk by area averaging).
    static func maskPlanes(_ image: Image, objects: [UInt8], textures: [UInt8], colorOffset: Int) throws -> [UInt8] {
        let size = maskSide * maskSide, step = imageSide / maskSide
        var planes = [UInt8](repeating: 0, count: 3 * size)
        let small = try image.resized(width: maskSide, height: maskSide)
        for y in 0..<maskSide {
            for x in 0..<maskSide {
                let source = (y * step) * imageSide + x * step, target = y * maskSide + x
                planes[target] = objects[source]
                planes[size + target] = textures[source]
                let p = target * 3
                let color = ColorNames.index(r: small.pixels[p], g: small.pixels[p + 1], b: small.pixels[p + 2])
                planes[2 * size + target] = UInt8(colorOffset + color + 1)
            }
        }
        return planes
    }
}
