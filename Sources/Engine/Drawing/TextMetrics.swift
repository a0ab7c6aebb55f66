import CCairo
import Foundation

/// Sizes of text as pictures draw it (DejaVu Sans through Cairo), in logical pixels, for layout.
///
/// `scale` is the text size step the Canvas text API takes: 1 is body text (11 px em, about
/// JupyterLab's small UI text), 2 a title (16 px), each further step 5 px more.
public enum TextMetrics {
    /// The em size in logical pixels for a text `scale` (values below 1 count as 1).
    public static func fontSize(scale: Int) -> Double {
        let s = max(scale, 1)
        return 11 + 5 * Double(s - 1)
    }

    /// Distance from a line's top to its baseline: DejaVu Sans' ascent (0.928 em, from its hhea table).
    public static func ascent(scale: Int = 1) -> Double { 0.928 * fontSize(scale: scale) }

    /// Vertical advance per line in whole pixels: the face's ascent plus descent (1.164 em).
    public static func lineHeight(scale: Int = 1) -> Int {
        Int((1.164 * fontSize(scale: scale)).rounded(.up))
    }

    /// Height in pixels of `text` (lines separated by "\n") at `scale`.
    public static func height(of text: String, scale: Int = 1) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).count * lineHeight(scale: scale)
    }

    /// Width in pixels (rounded up) of the widest line of `text` at `scale`: the sum of the glyphs'
    /// advances as Cairo lays them out. Without the font (see `TextFont.check`) an estimate of
    /// 0.6 em per character keeps layouts sane.
    public static func width(of text: String, scale: Int = 1) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { Int(advance(of: String($0), scale: scale).rounded(.up)) }.max() ?? 0
    }

    /// The advance of one line of text in logical pixels (fractional).
    static func advance(of line: String, scale: Int) -> Double {
        if line.isEmpty { return 0 }
        guard TextFont.face != nil else { return 0.6 * fontSize(scale: scale) * Double(line.count) }
        // A context over a 1 x 1 surface, only for measuring.
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        defer { cairo_surface_destroy(surface) }
        guard let context = cairo_create(surface) else { return 0.6 * fontSize(scale: scale) * Double(line.count) }
        defer { cairo_destroy(context) }
        TextFont.apply(to: context, scale: scale)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, line, &extents)
        return extents.x_advance
    }
}
