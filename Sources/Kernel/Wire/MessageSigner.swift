import Crypto
import Foundation

/// Signs and checks messages with the HMAC the connection file names.
///
/// The signature is the lowercase hex HMAC of header, parent header, metadata
/// and content, in that order. An empty key turns signing off, as the spec says.
// @unchecked: SymmetricKey is an immutable value that swift-crypto has not marked Sendable.
public struct MessageSigner: @unchecked Sendable {
    public enum Scheme: String, Sendable, CaseIterable {
        case sha256 = "hmac-sha256"
        case sha512 = "hmac-sha512"
        case sha1 = "hmac-sha1"
        case md5 = "hmac-md5"
    }

    public let scheme: Scheme
    private let key: SymmetricKey?

    /// Fails with `WireError.unsupportedSignatureScheme` for a scheme other than the four above.
    public init(key: String, schemeName: String) throws {
        guard let scheme = Scheme(rawValue: schemeName.lowercased()) else {
            throw WireError.unsupportedSignatureScheme(schemeName)
        }
        self.scheme = scheme
        self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8))
    }

    public var isEnabled: Bool { key != nil }

    /// The hex signature of the four signed frames; empty when signing is off.
    public func signature(for parts: [Data]) -> String {
        guard let key else { return "" }
        switch scheme {
        case .sha256: return Self.hex(Self.mac(HMAC<SHA256>.self, parts, key))
        case .sha512: return Self.hex(Self.mac(HMAC<SHA512>.self, parts, key))
        case .sha1: return Self.hex(Self.mac(HMAC<Insecure.SHA1>.self, parts, key))
        case .md5: return Self.hex(Self.mac(HMAC<Insecure.MD5>.self, parts, key))
        }
    }

    /// Whether `signature` is right for `parts`, compared in constant time so
    /// timing does not reveal how many leading characters matched.
    public func verify(_ signature: Data, for parts: [Data]) -> Bool {
        guard isEnabled else { return true }
        let expected = Array(self.signature(for: parts).utf8)
        let given = Array(signature)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices {
            difference |= expected[index] ^ given[index]
        }
        return difference == 0
    }

    private static func mac<H: HashFunction>(_ kind: HMAC<H>.Type, _ parts: [Data], _ key: SymmetricKey) -> [UInt8] {
        var hmac = HMAC<H>(key: key)
        for part in parts {
            hmac.update(data: part)
        }
        return Array(hmac.finalize())
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: [UInt8]) -> String {
        var characters = [UInt8]()
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(hexDigits[Int(byte >> 4)])
            characters.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
