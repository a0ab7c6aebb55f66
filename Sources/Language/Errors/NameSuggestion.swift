/// Suggests the known name closest to a misspelt one, for "did you mean" hints.
public enum NameSuggestion {
    /// The Levenshtein distance between two strings, counted in Unicode scalars.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().unicodeScalars), b = Array(b.lowercased().unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Candidates within a distance that grows with the name's length, closest first (ties alphabetical).
    public static func closest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let allowed = max(2, name.unicodeScalars.count / 3)
        let lowered = name.lowercased()
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let lowerCandidate = candidate.lowercased()
            if !lowered.isEmpty, lowerCandidate.hasPrefix(lowered) || lowered.hasPrefix(lowerCandidate) && lowerCandidate.count > 2 {
                return (candidate, 1)
            }
            let distance = editDistance(name, candidate)
            return distance <= allowed ? (candidate, distance) : nil
        }
        // Only the closest: "slep" suggests 'sleep', not every name two edits away.
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.sorted { $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// "did you mean 'x'?" or "did you mean 'x' or 'y'?"; nil when nothing is close.
    public static func hint(for name: String, among candidates: [String]) -> String? {
        let matches = closest(to: name, among: candidates)
        guard !matches.isEmpty else { return nil }
        return "did you mean " + matches.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
