import Foundation
import XCTest
@testable import Kernel

final class WireCodecTests: XCTestCase {
    let codec = WireCodec(signer: try! MessageSigner(key: "secret-key", schemeName: "hmac-sha256"))

    func sample() -> WireMessage {
        WireMessage(identities: [Data("id-a".utf8), Data("id-b".utf8)], header: Data(#"{"msg_type":"x"}"#.utf8),
                    parentHeader: Data("{}".utf8), metadata: Data("{}".utf8), content: Data(#"{"a":1}"#.utf8),
                    buffers: [Data([0, 1, 2])])
    }

    func testFramesAreIdentitiesDelimiterSignatureFourPartsBuffers() {
        let frames = codec.encode(sample())
        XCTAssertEqual(frames.count, 2 + 1 + 1 + 4 + 1)
        XCTAssertEqual(frames[2], Data("<IDS|MSG>".utf8))
        XCTAssertEqual(String(decoding: frames[3], as: UTF8.self),
                       "8a0d749a431a924a2389012e9a0b36e668495d75e4e01c71869a435d06ce3fd9")
        XCTAssertEqual(frames[7], Data(#"{"a":1}"#.utf8))
        XCTAssertEqual(frames[8], Data([0, 1, 2]))
    }

    func testDecodeInvertsEncode() throws {
        let decoded = try codec.decode(codec.encode(sample()))
        XCTAssertEqual(decoded.identities, sample().identities)
        XCTAssertEqual(decoded.header, sample().header)
        XCTAssertEqual(decoded.content, sample().content)
        XCTAssertEqual(decoded.buffers, [Data([0, 1, 2])])
    }

    func testTamperedContentFailsSignatureCheck() {
        var frames = codec.encode(sample())
        frames[7] = Data(#"{"a":2}"#.utf8)
        XCTAssertThrowsError(try codec.decode(frames)) { error in
            XCTAssertEqual(error as? WireError, .badSignature(msgType: "x"))
        }
    }

    func testMissingDelimiterAndShortMessagesAreErrors() {
        XCTAssertThrowsError(try codec.decode([Data("a".utf8), Data("b".utf8)])) { error in
            XCTAssertEqual(error as? WireError, .missingDelimiter(frameCount: 2))
        }
        XCTAssertThrowsError(try codec.decode([Data("<IDS|MSG>".utf8), Data(), Data("{}".utf8)])) { error in
            XCTAssertEqual(error as? WireError, .tooFewFrames(found: 2))
        }
    }

    func testHeaderWithoutMsgTypeIsMalformed() {
        let message = WireMessage(header: Data(#"{"msg_id":"1"}"#.utf8))
        XCTAssertThrowsError(try message.decodedHeader())
        XCTAssertThrowsError(try WireMessage(header: Data("not json".utf8)).decodedHeader())
    }
}
