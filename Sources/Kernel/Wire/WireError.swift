import Foundation

/// What can be wrong with bytes arriving from a front end; each case says where.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case missingDelimiter(frameCount: Int)
    case tooFewFrames(found: Int)
    case badSignature(msgType: String?)
    case unsupportedSignatureScheme(String)
    case malformedHeader(String)

    public var description: String {
        switch self {
        case .missingDelimiter(let count):
            return "message of \(count) frames has no <IDS|MSG> delimiter"
        case .tooFewFrames(let found):
            return "message has \(found) frames after <IDS|MSG>; a signature and four JSON frames are required"
        case .badSignature(let type):
            return "message\(type.map { " of type \($0)" } ?? "") has a missing or wrong HMAC signature; dropped"
        case .unsupportedSignatureScheme(let name):
            return "signature_scheme '\(name)' is not supported (use hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5)"
        case .malformedHeader(let reason):
            return "message header is not valid: \(reason)"
        }
    }
}
