import Engine

/// The image collections fetched at set-up (`photos`: several hundred real photos; `clipart`:
/// thousands of labelled drawings), for patches, neighbours and image maps at scale (issue 10).
enum CollectionBuiltins {
    /// Longer side of each loaded image by default: networks take 224-227 pixels, and thousands
    /// of full-size images would not fit in memory (2,000 images at 256 px are 1.5 GB of floats).
    static let defaultSide = 256

    /// `images(collection, count:, seed:, side:)`: the collection's images, captioned with labels.
    static func load(_ collectionName: String, call: Invocation) throws -> Value {
        if collectionName == BrodenLite.name { return try DissectBuiltins.conceptImages(call: call) }
        let collection: ImageCollection
        do {
            collection = try ImageCollection(collectionName)
        } catch let error as EngineError {
            throw call.error("collection", .io, error.description,
                             hint: "the collections are \(ImageCollection.names.joined(separator: ", "))")
        }
        let indices = try call.sampledIndices { collection.choose(count: $0, using: &$1) }
        let side = try call.integer("side")
        var pictures: [Value] = []
        pictures.reserveCapacity(indices.count)
        // One damaged or oversized file among thousands should not cost the other images: it is
        // left out and named; only a collection that yields nothing is an error.
        var skipped: [String] = []
        for index in indices {
            try Cancellation.check()
            do {
                let member = try collection.load(index, maxSide: side)
                pictures.append(.engine(.picture(Picture(image: member.image, title: member.entry.label))))
            } catch let error as EngineError {
                if case .cancelled = error { throw error }
                skipped.append(error.description)
            }
        }
        if !skipped.isEmpty {
            guard !pictures.isEmpty else { throw call.error("collection", .io, "\(collectionName): \(skipped[0])") }
            let shown = skipped.prefix(3).joined(separator: "; ") + (skipped.count > 3 ? "; ..." : "")
            call.session.output.write("images(\"\(collectionName)\"): left out \(skipped.count) image\(skipped.count == 1 ? "" : "s") "
                                      + "that could not be read: \(shown)\n", toStandardError: false)
        }
        return .list(pictures)
    }

    static let credits = Builtin(
        "credits", family: ImageBuiltins.family,
        parameters: [
            Parameter("collection", .choice(ImageCollection.names), default: .string("photos"),
                      doc: "the collection whose sources to list"),
        ],
        returns: "table",
        summary: "Where a collection's images come from: one row per package with its licence and image count.",
        paragraph: "photos: Debian tuxpaint-stamps-default (photo cut-outs, GPL-2), Debian scratch (scene photos, "
            + "CC-BY-SA-3.0), the sample photos and foolbox's ImageNet images; clipart: Debian openclipart-png (public domain).",
        example: "credits(\"photos\")",
        lecture: "000 (1.7, run many images through the network)"
    ) { call in
        let name = try call.string("collection")
        let collection: ImageCollection
        do {
            collection = try ImageCollection(name)
        } catch let error as EngineError {
            throw call.error("collection", .io, error.description)
        }
        let rows = collection.credits()
        return .table(Table(title: "\(collection.entries.count) images in '\(name)'", columns: ["source", "licence", "images"],
                            rows: rows.map { [.string($0.source), .string($0.licence), .number(Double($0.count))] }))
    }
}

extension Invocation {
    /// The indices `choose` picks for the call's `count:` (none: all) and `seed:`: a given seed
    /// repeats the same pick in any session; without one the pick follows the session's seed(n).
    func sampledIndices(_ choose: (Int?, inout SeededRandom) -> [Int]) throws -> [Int] {
        let count = value("count").isNone ? nil : try integer("count")
        if value("seed").isNone {
            return session.withRandom { choose(count, &$0) }
        }
        var random = SeededRandom(seed: UInt64(try integer("seed")))
        return choose(count, &random)
    }
}
