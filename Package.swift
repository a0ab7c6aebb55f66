// swift-tools-version:6.0
import PackageDescription

// Data flows one way: Kernel -> Language -> Engine. The executable is the only
// place that knows all three; it adapts the language's session to the kernel's
// Interpreter protocol.
let package = Package(
    name: "ConvLens",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "convlens", targets: ["convlens"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG",
                       providers: [.apt(["libjpeg62-turbo-dev"])]),
        // Single-precision FFTW (libfftw3f) for the Fourier image parameterization of feature visualization.
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"])]),
        // Cairo (with FreeType) draws every picture's text, lines and markers anti-aliased.
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),

        .target(name: "Engine", dependencies: [
            "COpenBLAS", "CPNG", "CJPEG", "CFFTW", "CCairo",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "Language", dependencies: ["Engine"]),
        .target(name: "Kernel", dependencies: [
            "CZeroMQ",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "convlens", dependencies: [
            "Kernel", "Language", "Engine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "EngineTests", dependencies: ["Engine", "CJPEG"]),
        .testTarget(name: "LanguageTests", dependencies: ["Language", "Engine"]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel"]),
    ],
    swiftLanguageModes: [.v5]
)
