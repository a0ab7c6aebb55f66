import Foundation
import XCTest
@testable import Language

/// Logical (width, height) of every PNG the cell displayed or updated: the image/png metadata,
/// checked to be half the PNG's own size from its IHDR chunk (pictures are drawn at 2x).
func pictureSizes(_ cell: CellRun) -> [(Int, Int)] {
    cell.output.events.compactMap { event -> DisplayBundle? in
        switch event {
        case .display(let bundle, _), .update(let bundle, _): return bundle
        default: return nil
        }
    }.compactMap { bundle in
        guard let text = bundle.data["image/png"], let png = Data(base64Encoded: text), png.count > 24 else { return nil }
        let bytes = [UInt8](png)
        func integer(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let meta = bundle.metadata["image/png"] as? [String: Any]
        guard let width = meta?["width"] as? Int, let height = meta?["height"] as? Int else {
            XCTFail("image/png without width/height metadata")
            return nil
        }
        XCTAssertEqual(integer(16), 2 * width)
        XCTAssertEqual(integer(20), 2 * height)
        return (width, height)
    }
}
