/// How `upsample` computes values between input pixels.
public enum UpsampleMode: String, Sendable, CaseIterable {
    /// Each output pixel copies the input pixel at floor(dst * in / out) (PyTorch "nearest").
    case nearest
    /// Bilinear with align_corners = false, as PyTorch's default.
    case bilinear
}
