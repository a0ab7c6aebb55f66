/// Broden's colour concepts (Bau et al. 2017, section 2.1: "colour" is labelled per pixel with
/// the 11 basic colour terms of van de Weijer et al. 2009, "Learning Color Names for Real-World
/// Applications"). Broden assigns them with van de Weijer's learned RGB-to-name table, which is
/// not available offline here; these are fixed bins in HSV (hue in degrees, saturation S and
/// value V in 0...1) that follow the same 11 names:
///
/// | name | rule (first that matches) |
/// | --- | --- |
/// | black | V < 0.2 |
/// | white | S < 0.15 and V > 0.8 |
/// | grey | S < 0.15 |
/// | brown | hue in [10, 50) and V < 0.6 |
/// | pink | hue in [290, 345), or hue in [345, 360) ∪ [0, 10) with S < 0.5 and V > 0.7 |
/// | red | hue in [345, 360) ∪ [0, 10) |
/// | orange | hue in [10, 40) |
/// | yellow | hue in [40, 70) |
/// | green | hue in [70, 170) |
/// | blue | hue in [170, 260) |
/// | purple | hue in [260, 290) |
public enum ColorNames {
    /// The 11 names, in the index order `name(r:g:b:)` returns.
    public static let names = ["black", "white", "grey", "brown", "pink", "red", "orange", "yellow", "green", "blue", "purple"]

    /// The index into `names` of the colour (r, g, b) in 0...1.
    public static func index(r: Float, g: Float, b: Float) -> Int {
        let high = max(r, g, b), low = min(r, g, b)
        let value = high, chroma = high - low
        let saturation = high > 0 ? chroma / high : 0
        if value < 0.2 { return 0 }
        if saturation < 0.15 { return value > 0.8 ? 1 : 2 }
        var hue: Float
        if high == r { hue = 60 * ((g - b) / chroma) } else if high == g { hue = 60 * ((b - r) / chroma + 2) } else {
            hue = 60 * ((r - g) / chroma + 4)
        }
        if hue < 0 { hue += 360 }
        let reddish = hue >= 345 || hue < 10
        if hue >= 10, hue < 50, value < 0.6 { return 3 }
        if (hue >= 290 && hue < 345) || (reddish && saturation < 0.5 && value > 0.7) { return 4 }
        if reddish { return 5 }
        if hue < 40 { return 6 }
        if hue < 70 { return 7 }
        if hue < 170 { return 8 }
        if hue < 260 { return 9 }
        return 10
    }
}
