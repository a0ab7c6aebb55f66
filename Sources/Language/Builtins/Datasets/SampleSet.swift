import Engine

/// What the dataset builtins share: loading photos by name, the session's MNIST splits and a
/// seeded choice of digits.
enum SampleSet {
    /// Gallery tiles larger than this are shrunk first (area averaging, no aliasing).
    static let tileSide = 160

    /// Sample photo `name`, captioned with its name; unknown names get the closest as a hint.
    static func load(_ name: String, call: Invocation) throws -> Picture {
        let samples = SampleImages()
        guard samples.path(of: name) != nil else {
            let names = samples.names
            let hint = names.isEmpty ? "no samples are installed: run `make setup` (or set CONVLENS_ASSETS)"
                : (NameSuggestion.hint(for: name, among: names) ?? "images() lists the samples")
            throw call.error("names", "there is no sample image '\(name)'", hint: hint)
        }
        return try ImageBuiltins.load(name, call: call)
    }

    /// A split of MNIST, parsed once per session (the training split is 47 MB of pixels).
    static func mnist(_ split: MNISTDataset.Split, call: Invocation) throws -> MNISTDataset {
        let key = "mnist:" + split.rawValue
        if let cached = call.session.caches[key] as? MNISTDataset { return cached }
        do {
            let dataset = try MNISTDataset.load(split)
            call.session.caches[key] = dataset
            return dataset
        } catch EngineError.cancelled {
            throw EngineError.cancelled // an interrupt during the read stays an interrupt
        } catch EngineError.io(let message) {
            throw call.error("split", .io, message) // already names the file and says what is wrong
        } catch let error as EngineError {
            throw call.error("split", .io, "cannot read MNIST: \(error.description)")
        }
    }

    /// `count` distinct indices of 0..<total in random order: the first steps of a Fisher-Yates
    /// shuffle, so the same seed picks the same digits.
    static func choose(_ count: Int, from total: Int, using random: inout SeededRandom) -> [Int] {
        var indices = Array(0..<total)
        let picked = min(max(count, 0), total)
        for position in 0..<picked {
            let other = random.integer(in: position..<total)
            indices.swapAt(position, other)
        }
        return Array(indices.prefix(picked))
    }

    /// `image` shrunk so its longer side is at most `tileSide`, for a gallery tile.
    static func tile(_ image: Image) throws -> Canvas {
        let longer = max(image.width, image.height)
        guard longer > tileSide else { return Canvas(image: image) }
        let width = max(1, image.width * tileSide / longer), height = max(1, image.height * tileSide / longer)
        return Canvas(image: try image.resized(width: width, height: height))
    }
}
