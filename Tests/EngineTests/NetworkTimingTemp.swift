import XCTest
import Foundation
@testable import Engine
final class NetworkTimingTemp: XCTestCase {
    func testTiming() throws {
        var t = Date()
        func lap(_ s: String) { print("TIMING", s, Date().timeIntervalSince(t)); t = Date() }
        let bytes = try WeightFile.readBytes(path: try AssetDirectory.file("weights/efficientnet_lite0.pth"), limit: 1 << 30); lap("read")
        let w = try WeightFile.decode(bytes, source: "e"); lap("decode")
        let net = try EfficientNetLite(weights: w, classNames: (0..<1000).map(String.init)); lap("build")
        let image = try ImageFile.load(path: try AssetDirectory.file("images/coffee.png")); lap("png")
        let x = try net.preprocess(image); lap("preprocess")
        _ = try net.forward(x, capture: [], until: nil); lap("forward")
        _ = try net.forward(x, capture: [], until: nil); lap("forward2")
        let sq = try ModelZoo.load("squeezenet"); lap("squeeze load")
        _ = try sq.forward(try sq.preprocess(image), capture: [], until: nil); lap("squeeze fwd")
    }
}
