/// A 5 x 7 pixel bitmap font for printable ASCII (32...126), drawn for this project.
///
/// Why a bitmap font: labels on pictures must look the same on every machine without a font
/// library. Each glyph is 35 bits: seven rows of five, top row first, leftmost pixel the high bit
/// of its row. Glyphs sit in a 6 x 9 cell (one column and two rows of spacing) and scale by
/// whole factors, which keeps them crisp.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 7
    /// Horizontal advance per character, spacing included.
    public static let advance = 6
    /// Vertical advance per line, spacing included.
    public static let lineHeight = 9

    /// Whether the pixel at (column, row) of `character` is ink; characters outside printable
    /// ASCII draw as '?'.
    public static func isInk(_ character: Character, column: Int, row: Int) -> Bool {
        guard column >= 0, column < glyphWidth, row >= 0, row < glyphHeight else { return false }
        let bits = glyph(for: character)
        let shift = (glyphHeight - 1 - row) * glyphWidth + (glyphWidth - 1 - column)
        return (bits >> UInt64(shift)) & 1 == 1
    }

    /// Width in pixels of the widest line of `text` at `scale` (no trailing spacing).
    public static func width(of text: String, scale: Int = 1) -> Int {
        let longest = text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
        return longest == 0 ? 0 : (longest * advance - 1) * scale
    }

    /// Height in pixels of `text` at `scale` (no trailing spacing).
    public static func height(of text: String, scale: Int = 1) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return ((lines - 1) * lineHeight + glyphHeight) * scale
    }

    static func glyph(for character: Character) -> UInt64 {
        guard let ascii = character.asciiValue, ascii >= 32, ascii <= 126 else {
            return glyphs[Int(Character("?").asciiValue ?? 63) - 32]
        }
        return glyphs[Int(ascii) - 32]
    }

    private static let glyphs: [UInt64] = [
        0x000000000, // space
        0x108421004, // !
        0x294A00000, // "
        0x295F57D4A, // #
        0x11F4717C4, // $
        0x632222263, // %
        0x32544564D, // &
        0x108400000, // quote
        0x088842082, // (
        0x208210888, // )
        0x009575480, // *
        0x0084F9080, // +
        0x000003088, // ,
        0x0000F8000, // -
        0x00000018C, // .
        0x002222200, // /
        0x3A33AE62E, // 0
        0x11842108E, // 1
        0x3A211111F, // 2
        0x7C441062E, // 3
        0x08CA97C42, // 4
        0x7E1E0862E, // 5
        0x1910F462E, // 6
        0x7C2222108, // 7
        0x3A317462E, // 8
        0x3A317844C, // 9
        0x018C03180, // :
        0x018C03088, // ;
        0x088882082, // <
        0x001F07C00, // =
        0x208208888, // >
        0x3A2111004, // ?
        0x3A216D6AE, // @
        0x3A31FC631, // A
        0x7A31F463E, // B
        0x3A308422E, // C
        0x72518C65C, // D
        0x7E10F421F, // E
        0x7E10F4210, // F
        0x3A30BC62F, // G
        0x4631FC631, // H
        0x38842108E, // I
        0x1C4210A4C, // J
        0x4654C5251, // K
        0x42108421F, // L
        0x4775AC631, // M
        0x4639ACE31, // N
        0x3A318C62E, // O
        0x7A31F4210, // P
        0x3A318D64D, // Q
        0x7A31F5251, // R
        0x3E107043E, // S
        0x7C8421084, // T
        0x46318C62E, // U
        0x46318C544, // V
        0x4631AD6AA, // W
        0x462A22A31, // X
        0x462A21084, // Y
        0x7C222221F, // Z
        0x39084210E, // [
        0x020820820, // backslash
        0x38421084E, // ]
        0x115100000, // ^
        0x00000001F, // _
        0x208200000, // `
        0x000E0BE2F, // a
        0x4216CC63E, // b
        0x000E8422E, // c
        0x042D9C62F, // d
        0x000E8FE0E, // e
        0x1928E2108, // f
        0x000F8BC2E, // g
        0x4216CC631, // h
        0x100C2108E, // i
        0x080610A4C, // j
        0x4212A6292, // k
        0x30842108E, // l
        0x001AAD631, // m
        0x0016CC631, // n
        0x000E8C62E, // o
        0x001E8FA10, // p
        0x000F8BC21, // q
        0x0016CC210, // r
        0x000E8383E, // s
        0x211C42126, // t
        0x00118C66D, // u
        0x00118C544, // v
        0x00118D6AA, // w
        0x001151151, // x
        0x00118BC2E, // y
        0x001F1111F, // z
        0x088441082, // {
        0x108421084, // |
        0x208411088, // }
        0x0008A8800, // ~
    ]
}
