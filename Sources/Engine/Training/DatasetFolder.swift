import Foundation

/// A dataset from a folder with one subfolder per class (`cats/`, `dogs/`, ...), the layout
/// torchvision's `ImageFolder` and Keras's `image_dataset_from_directory` read: how a user brings
/// their own images.
///
/// Classes are the subfolder names in sorted order (so class indices do not depend on the file
/// system's listing order); images are the PNG and JPEG files in each, sorted by name. Hidden
/// entries (".DS_Store") and other files are skipped; an unreadable image is an error naming it.
public enum DatasetFolder {
    /// Image file extensions read (case-insensitive).
    public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Loads `path`. `size` (height, width) resizes every image to it; nil uses the first image's size.
    /// Throws `EngineError.io` when the folder is missing or has no class subfolders with images,
    /// `.format` naming the file for an image that cannot be decoded.
    public static func load(path: String, size: (height: Int, width: Int)?) throws -> LabeledDataset {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError.io("\(path) is not a folder (a dataset folder holds one subfolder of images per class)")
        }
        let entries = try manager.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        let classes = entries.filter { entry in
            var sub: ObjCBool = false
            return manager.fileExists(atPath: path + "/" + entry, isDirectory: &sub) && sub.boolValue
        }
        guard !classes.isEmpty else {
            throw EngineError.io("\(path) has no subfolders: put each class's images in a subfolder named after the class (\(path)/cat/1.png, \(path)/dog/1.png)")
        }
        var images: [Image] = [], files: [String] = [], labels: [Int] = []
        for (label, name) in classes.enumerated() {
            let folder = path + "/" + name
            let names = try manager.contentsOfDirectory(atPath: folder).filter { file in
                !file.hasPrefix(".") && extensions.contains((file as NSString).pathExtension.lowercased())
            }.sorted()
            for file in names {
                try Cancellation.check()
                let filePath = folder + "/" + file
                do {
                    images.append(try ImageFile.load(path: filePath))
                } catch EngineError.format(let message) {
                    throw EngineError.format("\(filePath): \(message)")
                }
                files.append(filePath)
                labels.append(label)
            }
        }
        guard !images.isEmpty else {
            throw EngineError.io("\(path): the class folders \(classes.joined(separator: ", ")) hold no PNG or JPEG images")
        }
        let folderName = (path as NSString).lastPathComponent
        return try assemble(name: folderName, images: images, files: files, labels: labels, classNames: classes, size: size)
    }

    /// `dataset`'s image examples resized to height x width (`Image.resized`), labels kept.
    /// Throws `EngineError.invalid` when the examples are not images.
    public static func resized(_ dataset: LabeledDataset, height: Int, width: Int) throws -> LabeledDataset {
        guard dataset.sampleShape.count == 3, let labels = dataset.labels else {
            throw EngineError.invalid("\(dataset.name): only labelled image examples can be resized (these are \(dataset.sampleShape))")
        }
        if dataset.sampleShape[1] == height, dataset.sampleShape[2] == width { return dataset }
        let images = try (0..<dataset.count).map { index in
            if index % 256 == 0 { try Cancellation.check() }
            return try dataset.image(index)
        }
        return try assemble(name: dataset.name, images: images, files: (0..<dataset.count).map { "\(dataset.name) example \($0)" },
                            labels: labels, classNames: dataset.classNames, size: (height, width))
    }

    /// Stacks images into one dataset of [C, height, width] examples: C is 3 if any image has
    /// colour (gray ones are repeated over R, G, B), else 1; every image is resized (area
    /// averaging / bilinear, `Image.resized`) to `size` or the first image's size.
    static func assemble(name: String, images: [Image], files: [String], labels: [Int], classNames: [String],
                         size: (height: Int, width: Int)?) throws -> LabeledDataset {
        guard let first = images.first else { throw EngineError.invalid("\(name): no images") }
        let (height, width) = size ?? (first.height, first.width)
        guard height > 0, width > 0, height * width <= 1 << 22 else {
            throw EngineError.invalid("\(name): example size \(height)x\(width) must be positive and at most 4 megapixels")
        }
        let channels = images.contains { $0.channels != 1 } ? 3 : 1
        let plane = height * width
        var inputs = [Float]()
        inputs.reserveCapacity(images.count * channels * plane)
        for (index, image) in images.enumerated() {
            try Cancellation.check()
            var fitted = channels == 3 ? image.rgb() : image.grayscale()
            if fitted.width != width || fitted.height != height {
                do {
                    fitted = try fitted.resized(width: width, height: height)
                } catch let error as EngineError {
                    throw EngineError.invalid("\(files[index]): cannot resize to \(width)x\(height): \(error.description)")
                }
            }
            // Images are interleaved (pixel by pixel); examples are planar (channel by channel).
            for c in 0..<channels {
                for p in 0..<plane { inputs.append(fitted.pixels[p * channels + c]) }
            }
        }
        return try LabeledDataset(name: name, sampleShape: [channels, height, width], inputs: inputs,
                                  targets: .classes(labels: labels, names: classNames))
    }
}
