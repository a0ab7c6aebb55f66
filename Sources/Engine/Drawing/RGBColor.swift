/// An RGB colour with components in 0...1, the unit every drawing routine works in.
public struct RGBColor: Equatable, Hashable, Sendable {
    public var red: Float
    public var green: Float
    public var blue: Float

    public init(red: Float, green: Float, blue: Float) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From a 24-bit hex value such as 0x440154.
    public init(hex: UInt32) {
        red = Float((hex >> 16) & 0xFF) / 255
        green = Float((hex >> 8) & 0xFF) / 255
        blue = Float(hex & 0xFF) / 255
    }

    /// The same grey level in all three components.
    public init(gray: Float) {
        self.init(red: gray, green: gray, blue: gray)
    }

    /// The nearest 24-bit hex value, for tests and legends.
    public var hex: UInt32 {
        func byte(_ value: Float) -> UInt32 { UInt32((min(max(value, 0), 1) * 255).rounded()) }
        return byte(red) << 16 | byte(green) << 8 | byte(blue)
    }

    /// Linear interpolation: t = 0 gives self, t = 1 gives `other`.
    public func mixed(with other: RGBColor, _ t: Float) -> RGBColor {
        RGBColor(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
                 blue: blue + (other.blue - blue) * t)
    }

    public static let black = RGBColor(gray: 0)
    public static let white = RGBColor(gray: 1)
    public static let lightGray = RGBColor(gray: 0.85)
    public static let darkGray = RGBColor(gray: 0.3)
    public static let red = RGBColor(red: 0.85, green: 0.1, blue: 0.1)
}
