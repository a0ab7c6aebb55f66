/// A feature-matching image and its loss before each step (each term 1 at the start, times its weight).
public struct FeatureMatchingResult {
    public let image: Image
    public let losses: [Float]
}
