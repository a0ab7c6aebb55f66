import Engine
import Foundation

/// Loading photos: `image` and `images`.
enum ImageBuiltins {
    static let family = "Images"

    static var all: [Builtin] { [image, images, CollectionBuiltins.credits] }

    static let image = Builtin(
        "image", family: family,
        parameters: [
            Parameter("name_or_path", .imageName, doc: "a sample name (see images()) or a PNG/JPEG file path"),
            Parameter("size", .either(.integer, .list), default: Value.none, range: .closed(1, 8_192),
                      doc: "a side length (resize the shorter side, centre crop to a square) or [height, width]"),
        ],
        returns: "image",
        summary: "Loads a sample photo by name or any PNG/JPEG file.",
        paragraph: "Pixels are kept as numbers in 0...1. Networks resize and crop to their own input size when "
            + "they use an image, so size is only needed to look at or save a particular crop.",
        example: "cat = image(\"chelsea\")\nsmall = image(\"coffee\", size: 227)",
        lecture: "000 (1.2, classifying a photo)"
    ) { call in
        let nameOrPath = try call.string("name_or_path")
        var picture = try load(nameOrPath, call: call)
        switch call.value("size") {
        case .none:
            break
        case let size:
            picture = try resized(picture, to: size, call: call)
        }
        return .engine(.picture(picture))
    }

    static let images = Builtin(
        "images", family: family,
        parameters: [
            Parameter("collection", .choice(ImageCollection.names + [BrodenLite.name]), default: Value.none,
                      doc: "\"photos\" (several hundred real photos), \"clipart\" (thousands of drawings) or \"broden-lite\" "
                          + "(dissect's concept images); none: list the samples"),
            Parameter("count", .integer, default: Value.none, range: .atLeast(1),
                      doc: "how many images, chosen at random (none: all of them, in index order)"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0), doc: "the random seed for count (none: follow seed())"),
            Parameter("side", .integer, default: .number(Double(CollectionBuiltins.defaultSide)), range: .closed(16, 4_096),
                      doc: "larger images are shrunk so their longer side is this many pixels"),
        ],
        returns: "table or list",
        summary: "Lists the sample photos, or loads an image collection: images(\"photos\"), images(\"clipart\").",
        paragraph: "Without a collection: the samples image() loads by name (scikit-image, Debian opencv-doc and darknet). "
            + "With one: a list of images captioned with their labels; photo cut-outs are shown on grey. "
            + "credits(\"photos\") lists sources and licences.",
        example: "images()\nphotos = images(\"photos\")\ngallery(images(\"clipart\", count: 40, seed: 1))",
        lecture: "000 (1.7, run many images through the network)"
    ) { call in
        if !call.value("collection").isNone {
            return try CollectionBuiltins.load(try call.string("collection"), call: call)
        }
        let samples = SampleImages()
        let descriptions = samples.descriptions
        let names = samples.names
        guard !names.isEmpty else {
            throw LensError(.io, "no sample images found", hint: "run `make setup` (or set CONVLENS_ASSETS)")
        }
        return .table(Table(title: "\(names.count) sample images", columns: ["name", "about"],
                            rows: names.map { [.string($0), .string(descriptions[$0] ?? "")] }))
    }

    /// Loads a sample by name or a file by path, with an error that lists close sample names.
    static func load(_ nameOrPath: String, call: Invocation) throws -> Picture {
        let samples = SampleImages()
        let isPath = nameOrPath.contains("/") || nameOrPath.contains(".")
        let path: String
        if !isPath, let samplePath = samples.path(of: nameOrPath) {
            path = samplePath
        } else if isPath {
            path = (nameOrPath as NSString).expandingTildeInPath
            guard FileManager.default.fileExists(atPath: path) else {
                throw call.error("name_or_path", .io, "no file at '\(nameOrPath)'")
            }
        } else {
            let names = samples.names
            let hint = names.isEmpty ? "no samples are installed: run `make setup` (or set CONVLENS_ASSETS)"
                : (NameSuggestion.hint(for: nameOrPath, among: names) ?? "images() lists the samples")
            throw call.error("name_or_path", "there is no sample image '\(nameOrPath)'", hint: hint)
        }
        do {
            let image = try ImageFile.load(path: path)
            let title = isPath ? (nameOrPath as NSString).lastPathComponent : nameOrPath
            return Picture(image: image, title: title)
        } catch EngineError.cancelled {
            throw EngineError.cancelled // an interrupt during the read stays an interrupt
        } catch EngineError.io(let message) {
            throw call.error("name_or_path", .io, message) // already names the file and says what is wrong
        } catch let error as EngineError {
            throw call.error("name_or_path", .io, "cannot read '\(nameOrPath)': \(error.description)")
        }
    }

    static func resized(_ picture: Picture, to size: Value, call: Invocation) throws -> Picture {
        let image = picture.image
        if let side = size.integerValue {
            let square = try ImageResizing.shorterSideThenCentreCrop(image, side: side)
            return Picture(image: square, title: "\(picture.title) \(side)x\(side)")
        }
        guard let items = size.elements, items.count == 2, let height = items[0].integerValue, let width = items[1].integerValue else {
            throw call.error("size", .type, "size must be a side length or [height, width] of whole numbers")
        }
        return Picture(image: try ImageResizing.resize(image, height: height, width: width),
                       title: "\(picture.title) \(width)x\(height)")
    }
}
