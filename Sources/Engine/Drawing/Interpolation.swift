/// How a picture is resampled when it is drawn at another size.
public enum Interpolation: String, Sendable, CaseIterable {
    /// Each output pixel copies the nearest source pixel: the honest choice for small filters
    /// and activation maps, whose pixels are the data.
    case nearest
    /// Weighted mean of the four nearest source pixels (pixel centres aligned): smooth heatmaps.
    case bilinear
}
