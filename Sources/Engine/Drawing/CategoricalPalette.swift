/// Distinct colours for class labels in scatter plots and legends: the 10 Tableau colours, then
/// their 10 light variants; past 20 classes the palette repeats.
public enum CategoricalPalette {
    public static let colors: [RGBColor] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
        0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5, 0xC49C94, 0xF7B6D2, 0xC7C7C7, 0xDBDB8D, 0x9EDAE5,
    ].map { RGBColor(hex: $0) }

    /// The colour of class `index` (negative indices, such as DBSCAN's noise, are grey).
    public static func color(_ index: Int) -> RGBColor {
        guard index >= 0 else { return RGBColor(gray: 0.6) }
        return colors[index % colors.count]
    }
}
