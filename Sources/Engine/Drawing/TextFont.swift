import CCairo
import Foundation

/// The one typeface every picture's text is set in: DejaVu Sans (Debian `fonts-dejavu-core`),
/// loaded from its file by path through FreeType so a picture looks the same whatever
/// fontconfig would pick. `CONVLENS_FONT` names another TrueType/OpenType file.
///
/// The face is opened once per process and shared: Cairo locks a FreeType face around each use
/// (cairo-ft's `_cairo_ft_unscaled_font_lock_face`), so contexts on several threads may draw with it.
public enum TextFont {
    /// Where Debian's fonts-dejavu-core installs the regular face.
    public static let defaultPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    /// Why the font could not be loaded: the path tried and what went wrong.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String {
            "pictures set their text in DejaVu Sans, but \(path) \(reason); install Debian's fonts-dejavu-core "
                + "or set CONVLENS_FONT to a .ttf file"
        }
    }

    /// The font face as a Cairo handle, wrapped so the shared static is Sendable.
    struct Face: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// The loaded face, or why it is missing (read once; the file is not reopened).
    static let loaded: Result<Face, Unavailable> = load()

    /// Throws `Unavailable` with the path and a fix when the font cannot be used; drawing without
    /// it leaves text out, so callers that show pictures check this first.
    public static func check() throws {
        if case .failure(let error) = loaded { throw error }
    }

    /// The face for drawing, nil when the font is unavailable.
    static var face: OpaquePointer? {
        if case .success(let face) = loaded { return face.pointer }
        return nil
    }

    private static func load() -> Result<Face, Unavailable> {
        let path = ProcessInfo.processInfo.environment["CONVLENS_FONT"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        guard FileManager.default.isReadableFile(atPath: path) else {
            return .failure(Unavailable(path: path, reason: "is missing or unreadable"))
        }
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else {
            return .failure(Unavailable(path: path, reason: "could not be read: FreeType failed to start"))
        }
        var ftFace: FT_Face?
        let status = FT_New_Face(library, path, 0, &ftFace)
        guard status == 0, let ftFace else {
            return .failure(Unavailable(path: path, reason: "is not a font FreeType can read (error \(status))"))
        }
        // The library and face live as long as the process: the face is shared by every picture.
        guard let cairoFace = cairo_ft_font_face_create_for_ft_face(ftFace, 0),
              cairo_font_face_status(cairoFace) == CAIRO_STATUS_SUCCESS else {
            return .failure(Unavailable(path: path, reason: "could not be loaded by Cairo"))
        }
        return .success(Face(pointer: cairoFace))
    }

    /// Sets the face, its size for `scale` and the rendering options on a Cairo context.
    /// Metrics are not hinted, so a width measured at 1x is exactly half the width drawn at 2x.
    static func apply(to context: OpaquePointer, scale: Int) {
        guard let face else { return }
        cairo_set_font_face(context, face)
        cairo_set_font_size(context, TextMetrics.fontSize(scale: scale))
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }
}
