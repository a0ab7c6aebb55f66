import Foundation
import XCTest
@testable import Kernel

final class JSONValueTests: XCTestCase {
    func testRoundTripKeepsEveryKind() throws {
        let value: JSONValue = ["n": nil, "b": true, "i": 3, "d": .double(2.5), "s": "x", "a": [1, "two"]]
        let decoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        XCTAssertEqual(decoded, value)
    }

    func testLooseValuesConvert() {
        let converted = JSONValue(any: ["width": 4, "scale": 0.5, "tags": ["a"], "nan": Double.nan] as [String: Any])
        XCTAssertEqual(converted, ["width": 4, "scale": .double(0.5), "tags": ["a"], "nan": nil])
    }

    func testTimestampIsISO8601WithMicroseconds() {
        let stamp = Timestamp.now()
        XCTAssertNotNil(stamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#, options: .regularExpression),
                        stamp)
    }
}
