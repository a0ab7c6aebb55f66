import Foundation
import XCTest
@testable import Kernel

/// Signatures checked against Python's `hmac` module over the same four frames.
final class MessageSignerTests: XCTestCase {
    let parts = [Data(#"{"msg_type":"x"}"#.utf8), Data("{}".utf8), Data("{}".utf8), Data(#"{"a":1}"#.utf8)]

    func testEachSchemeMatchesPythonHMAC() throws {
        let expected = [
            "hmac-sha256": "8a0d749a431a924a2389012e9a0b36e668495d75e4e01c71869a435d06ce3fd9",
            "hmac-sha512": "68b12f41b646c48154a65d753cc448afd62b5338886626da52f01e94dd2838fd"
                + "4eb848e85655c93e79a5c6c5ea47c55cc74f9830b320b5b6d06675116a0c6fa1",
            "hmac-sha1": "206853c17097e0eaf7b6a80c7f048379cbae0b6c",
            "hmac-md5": "5c09d61f94cb14a31d78d1fbfa285061",
        ]
        for (scheme, digest) in expected {
            let signer = try MessageSigner(key: "secret-key", schemeName: scheme)
            XCTAssertEqual(signer.signature(for: parts), digest, scheme)
            XCTAssertTrue(signer.verify(Data(digest.utf8), for: parts), scheme)
        }
    }

    func testWrongOrTruncatedSignatureIsRejected() throws {
        let signer = try MessageSigner(key: "secret-key", schemeName: "hmac-sha256")
        let good = signer.signature(for: parts)
        var flipped = Array(good.utf8)
        flipped[flipped.count - 1] = flipped.last == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        XCTAssertFalse(signer.verify(Data(flipped), for: parts))
        XCTAssertFalse(signer.verify(Data(good.utf8.dropLast()), for: parts))
        XCTAssertFalse(signer.verify(Data(), for: parts))
        XCTAssertFalse(signer.verify(Data(good.utf8), for: [parts[0], parts[1], parts[2], Data("{}".utf8)]))
    }

    func testEmptyKeyDisablesSigning() throws {
        let signer = try MessageSigner(key: "", schemeName: "hmac-sha256")
        XCTAssertEqual(signer.signature(for: parts), "")
        XCTAssertTrue(signer.verify(Data(), for: parts))
    }

    func testUnknownSchemeIsAnError() {
        XCTAssertThrowsError(try MessageSigner(key: "k", schemeName: "hmac-sha3")) { error in
            XCTAssertEqual(error as? WireError, .unsupportedSignatureScheme("hmac-sha3"))
        }
    }
}
