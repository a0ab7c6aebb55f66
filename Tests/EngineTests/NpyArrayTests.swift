import Foundation
import XCTest
@testable import Engine

/// The .npy codec against files numpy 2.4.6 wrote (`np.save` into a BytesIO, base64 below), so
/// the expected bytes and values come from numpy itself, not from this codec.
final class NpyArrayTests: XCTestCase {
    private func bytes(_ base64: String) throws -> [UInt8] { [UInt8](try XCTUnwrap(Data(base64Encoded: base64))) }

    /// np.save(f, np.array([[1, 2, 3], [4, 5, 6.5]], dtype=np.float32)), np.array(2.5, dtype=np.float32),
    /// np.array([1, 2, 3, 4], dtype=np.float32) and np.zeros((0, 3), dtype=np.float32): byte for byte.
    func testEncodingMatchesNumPyByteForByte() throws {
        let cases: [([Int], [Float], String)] = [
            ([2, 3], [1, 2, 3, 4, 5, 6.5], "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBAAACgQAAA0EA="),
            ([], [2.5], "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAACBA"),
            ([4], [1, 2, 3, 4], "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBA"),
            ([0, 3], [], "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo="),
        ]
        for (shape, values, numpy) in cases {
            let array = try NpyArray(shape: shape, values: values)
            XCTAssertEqual([UInt8](array.encoded()), try bytes(numpy), "shape \(shape)")
            XCTAssertEqual(try NpyArray.decode([UInt8](array.encoded()), source: "round trip"), array)
        }
    }

    /// float64 [[1.5, -2], [3, 4.25], [0, 7]], int32 [-3, 0, 70000], uint8 arange(6).reshape(1, 2, 3)
    /// and a version 2.0 file of float32 zeros((2, 2)) (numpy.lib.format.write_array(version=(2, 0))).
    func testDecodesNumPyFilesOfEveryReadDType() throws {
        let float64 = try NpyArray.decode(try bytes("k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAAAAAAACEAAAAAAAAARQAAAAAAAAAAAAAAAAAAAHEA="), source: "f8.npy")
        XCTAssertEqual(float64, try NpyArray(shape: [3, 2], values: [1.5, -2, 3, 4.25, 0, 7]))
        let int32 = try NpyArray.decode(try bytes("k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr9////AAAAAHARAQA="), source: "i4.npy")
        XCTAssertEqual(int32, try NpyArray(shape: [3], values: [-3, 0, 70000]))
        let uint8 = try NpyArray.decode(try bytes("k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAQIDBAU="), source: "u1.npy")
        XCTAssertEqual(uint8, try NpyArray(shape: [1, 2, 3], values: [0, 1, 2, 3, 4, 5]))
        let version2 = try NpyArray.decode(try bytes("k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAA"), source: "v2.npy")
        XCTAssertEqual(version2, try NpyArray(shape: [2, 2], values: [0, 0, 0, 0]))
    }

    /// A version 1.0 file with this header text and body.
    private func npy(header: String, body: [UInt8] = []) -> [UInt8] {
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + body
    }

    private func message(_ bytes: [UInt8]) -> String {
        do {
            _ = try NpyArray.decode(bytes, source: "points.npy")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testMalformedFilesGiveErrorsNamingTheSource() throws {
        let good = [UInt8](try NpyArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]).encoded())
        XCTAssertEqual(message(Array("not numpy at all".utf8)), "bad file format: points.npy: not a .npy file (it does not start with \\x93NUMPY)")
        XCTAssertEqual(message(Array(good.dropLast(4))),
                       "bad file format: points.npy: shape [2, 3] needs 6 values of 4 bytes, but the file holds 20 bytes of data")
        XCTAssertEqual(message(Array(good.prefix(40))), "bad file format: points.npy: the header is truncated or not text")
        let body = [UInt8](repeating: 0, count: 8)
        XCTAssertTrue(message(npy(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }\n", body: body))
            .contains("Fortran-order arrays are not supported"))
        XCTAssertEqual(message(npy(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }\n", body: body)),
                       "bad file format: points.npy: dtype <f2 is not supported (<f4, <f8, <i4, <i8 and |u1 are)")
        XCTAssertTrue(message(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }\n", body: body))
            .hasPrefix("bad file format: points.npy: shape [99999999999, 99999999999]"))
        XCTAssertTrue(message(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }\n", body: body))
            .contains("has a dimension that is not a count"))
        XCTAssertTrue(message(npy(header: "{'descr': '<f4', 'fortran_order': False, }\n", body: body))
            .contains("the .npy header has no 'shape'"))
        // Empty and one-byte headers, a version this codec does not know.
        XCTAssertTrue(message(npy(header: "")).contains("has no 'fortran_order'"))
        var version9 = good
        version9[6] = 9
        XCTAssertEqual(message(version9), "bad file format: points.npy: .npy version 9 is not supported (1, 2 and 3 are)")
        XCTAssertThrowsError(try NpyArray(shape: [2, 2], values: [1, 2, 3]))
        XCTAssertThrowsError(try NpyArray(shape: [-1], values: []))
    }

    /// A header longer than version 1.0's 16-bit length (a shape of 30,000 ones: about 90,000 characters) is
    /// written as version 2.0 instead of trapping on the length, and reads back.
    func testHugeHeadersUseVersionTwo() throws {
        let array = try NpyArray(shape: [Int](repeating: 1, count: 30_000), values: [3])
        let encoded = [UInt8](array.encoded())
        XCTAssertEqual(encoded[6], 2)
        let headerLength = (0..<4).reduce(0) { $0 | Int(encoded[8 + $1]) << (8 * $1) }
        XCTAssertEqual((12 + headerLength) % 64, 0)
        XCTAssertEqual(try NpyArray.decode(encoded, source: "deep.npy"), array)
    }
}
