import Foundation

/// The broden-lite set on disk, composed on first use and read back afterwards:
/// `<assets>/concepts/broden-lite/` holds `images/NNNN.png` (224x224 RGB), `labels.npy` (uint8
/// [images, 3, 112, 112]: the object, texture and colour planes, 0 = none, c + 1 = concept c),
/// `concepts.json` (the concept names and categories) and `.complete` (the recipe it was made by:
/// the recipe version, seed, count and a hash of the source collections' indexes, so a changed
/// collection or recipe composes the set again). Within a process the set is read once.
public enum ConceptSetStore {
    /// Bumped whenever `BrodenLite` composes differently.
    static let recipeVersion = 1
    private static let memory = Memory()

    private final class Memory: @unchecked Sendable {
        let lock = NSLock()
        var sets: [String: ConceptSet] = [:]
    }

    /// The broden-lite set (composing and writing it the first time; `progress` counts images).
    /// Throws `EngineError.io` when the assets or collections are missing.
    public static func brodenLite(progress: TechniqueProgress? = nil) throws -> ConceptSet {
        let root = try AssetDirectory.locate()
        return try brodenLite(root: root, progress: progress)
    }

    static func brodenLite(root: URL, progress: TechniqueProgress?) throws -> ConceptSet {
        let folder = root.appendingPathComponent("concepts/\(BrodenLite.name)")
        let recipe = try recipe(root: root)
        memory.lock.lock()
        let known = memory.sets[folder.path + recipe]
        memory.lock.unlock()
        if let known { return known }
        let set: ConceptSet
        if (try? String(contentsOf: folder.appendingPathComponent(".complete"), encoding: .utf8)) == recipe,
           let stored = try? read(folder) {
            set = stored
        } else {
            set = try BrodenLite.compose(root: root, progress: progress)
            // Keeping the set on disk only saves the next kernel 20 seconds: where the assets are
            // shared read-only (a classroom hub) the set is used from memory instead.
            try? publish(set, to: folder, recipe: recipe)
        }
        memory.lock.lock()
        memory.sets[folder.path + recipe] = set
        memory.lock.unlock()
        return set
    }

    /// "v1 seed 2017 count 300 side 224/112 sources <FNV-1a of photos.json + textures.json>".
    static func recipe(root: URL) throws -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for name in ["photos", "textures"] {
            let path = root.appendingPathComponent("collections/\(name).json").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw EngineError.io("\(BrodenLite.name) needs the '\(name)' collection (\(path) is missing): run `make setup`")
            }
            for byte in try BoundedFile.read(path, as: .metadata) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return "v\(recipeVersion) seed \(BrodenLite.seed) count \(BrodenLite.imageCount) side \(BrodenLite.imageSide)/\(BrodenLite.maskSide) sources \(String(hash, radix: 16))"
    }

    struct Index: Codable {
        let name: String
        let maskSide: Int
        let categories: [String]
        let concepts: [ConceptSet.Concept]
    }

    /// Writes the set into a private folder beside `folder` and renames it into place, so a kernel
    /// reading `folder` never sees another kernel's half-written set; if another kernel published
    /// first, its copy stays and this one is dropped.
    static func publish(_ set: ConceptSet, to folder: URL, recipe: String) throws {
        let manager = FileManager.default
        let staging = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: staging) }
        try write(set, to: staging, recipe: recipe)
        if manager.fileExists(atPath: folder.path) {
            let current = try? String(contentsOf: folder.appendingPathComponent(".complete"), encoding: .utf8)
            if current == recipe { return }
            try? manager.removeItem(at: folder)
        }
        do {
            try manager.moveItem(at: staging, to: folder)
        } catch {
            // Another kernel renamed its copy into place between our check and our rename.
            if manager.fileExists(atPath: folder.appendingPathComponent(".complete").path) { return }
            throw EngineError.io("could not write \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Writes the set's files, then the stamp last (a half-written folder is composed again).
    static func write(_ set: ConceptSet, to folder: URL, recipe: String) throws {
        let manager = FileManager.default
        try? manager.removeItem(at: folder)
        do {
            try manager.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
            for (index, image) in set.images.enumerated() {
                try Data(try PNGCodec.encode(image)).write(to: folder.appendingPathComponent(imageName(index)))
            }
            let planes = ConceptSet.Category.allCases.count
            var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(set.images.count), \(planes), \(set.maskSide), \(set.maskSide)), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
            bytes += Array(header.utf8)
            for labels in set.labels { bytes += labels }
            try Data(bytes).write(to: folder.appendingPathComponent("labels.npy"))
            let index = Index(name: set.name, maskSide: set.maskSide, categories: ConceptSet.Category.allCases.map(\.rawValue),
                              concepts: set.concepts)
            try JSONEncoder().encode(index).write(to: folder.appendingPathComponent("concepts.json"))
            try Data(recipe.utf8).write(to: folder.appendingPathComponent(".complete"))
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.io("could not write \(folder.path): \(error.localizedDescription)")
        }
    }

    static func imageName(_ index: Int) -> String {
        "images/" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index) + ".png"
    }

    /// Reads a folder `write` made. Throws `EngineError.format`/`.io` naming the bad file.
    static func read(_ folder: URL) throws -> ConceptSet {
        let indexPath = folder.appendingPathComponent("concepts.json").path
        let index: Index
        do {
            index = try JSONDecoder().decode(Index.self, from: Data(try BoundedFile.read(indexPath, as: .metadata)))
        } catch let error as EngineError { throw error } catch {
            throw EngineError.format("\(indexPath): not a concept index (\(error.localizedDescription))")
        }
        let labelPath = folder.appendingPathComponent("labels.npy").path
        let array = try NpyArray.decode(try BoundedFile.read(labelPath, as: .dataset), source: labelPath)
        guard array.shape.count == 4, array.shape[1] == ConceptSet.Category.allCases.count, array.shape[2] == index.maskSide,
              array.shape[3] == index.maskSide else {
            throw EngineError.format("\(labelPath): shape \(array.shape), expected [images, 3, \(index.maskSide), \(index.maskSide)]")
        }
        let perImage = array.shape[1] * array.shape[2] * array.shape[3]
        var images: [Image] = [], labels: [[UInt8]] = []
        for item in 0..<array.shape[0] {
            try Cancellation.check()
            images.append(try ImageFile.load(path: folder.appendingPathComponent(imageName(item)).path))
            labels.append(array.values[(item * perImage)..<((item + 1) * perImage)].map { UInt8(clamping: Int($0)) })
        }
        return try ConceptSet(name: index.name, concepts: index.concepts, images: images, maskSide: index.maskSide, labels: labels)
    }
}
