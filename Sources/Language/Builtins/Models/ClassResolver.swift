import Engine
import Foundation

/// Finds a class by index or name in a network's class list.
///
/// ImageNet classes have synonyms ("tabby, tabby cat"), so "tabby", "tabby cat", "Tabby_Cat",
/// "281" and 281 all name class 281 (matching ignores case and reads underscores as spaces). A name that fits several classes ("crane":
/// the bird and the machine) or none is an error listing the closest matches.
struct ClassResolver {
    let classNames: [String]
    /// Every name of each class, normalized (see `ImageNetClasses.synonyms(of:)`).
    private let normalizedSynonyms: [[String]]
    /// Every name of each class as written, for messages.
    private let displayedSynonyms: [String]

    init(classNames: [String]) {
        self.classNames = classNames
        let synonyms = ImageNetClasses.synonyms(of: classNames)
        normalizedSynonyms = synonyms.map { $0.map(ClassResolver.normalized) }
        displayedSynonyms = synonyms.map { $0.joined(separator: ", ") }
    }

    /// The class index for `value` (a whole number or a string), or an error saying why not.
    func resolve(_ value: Value) throws -> Int {
        if let index = value.integerValue { return try checked(index) }
        guard case .string(let text) = value else {
            throw LensError(.type, "a class is a name or an index, got \(value.typeName)")
        }
        let query = ClassResolver.normalized(text)
        if let index = Int(query) { return try checked(index) }
        let exact = classNames.indices.filter { index in
            ClassResolver.normalized(classNames[index]) == query || normalizedSynonyms[index].contains(query)
        }
        if exact.count == 1 { return exact[0] }
        if exact.count > 1 {
            throw LensError(.value, "'\(text)' names \(exact.count) classes", hint: "use an index: " + describe(exact))
        }
        let close = closest(to: query)
        throw LensError(.value, "no class is called '\(text)'",
                        hint: close.isEmpty ? "classes are numbered 0 to \(classNames.count - 1)" : "closest: " + describe(close))
    }

    private func checked(_ index: Int) throws -> Int {
        guard index >= 0, index < classNames.count else {
            throw LensError(.value, "class \(index) is out of range", hint: "classes are numbered 0 to \(classNames.count - 1)")
        }
        return index
    }

    /// Classes whose synonyms contain the query as a word, else those nearest by edit distance.
    func closest(to query: String, limit: Int = 5) -> [Int] {
        let containing = classNames.indices.filter { index in
            normalizedSynonyms[index].contains { $0.split(separator: " ").contains(Substring(query)) || $0.contains(query) }
        }
        if !containing.isEmpty { return Array(containing.prefix(limit)) }
        let scored = classNames.indices.map { index in
            (index, normalizedSynonyms[index].map { NameSuggestion.editDistance(query, $0) }.min() ?? Int.max)
        }
        let allowed = max(2, query.count / 3)
        return scored.filter { $0.1 <= allowed }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    private func describe(_ indices: [Int]) -> String {
        indices.map { "\($0) \"\(displayedSynonyms[$0])\"" }.joined(separator: ", ")
    }

    static func normalized(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "_", with: " ").trimmingCharacters(in: .whitespaces)
    }
}
