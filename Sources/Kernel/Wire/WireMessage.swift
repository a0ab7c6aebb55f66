import Foundation

/// One Jupyter message as it travels: routing identities, the four JSON parts
/// kept as raw bytes, and binary buffers.
///
/// Raw bytes are kept so a reply can quote the request's header verbatim as its
/// parent header, fields we do not model included.
public struct WireMessage: Sendable {
    public var identities: [Data]
    public var header: Data
    public var parentHeader: Data
    public var metadata: Data
    public var content: Data
    public var buffers: [Data]

    public init(identities: [Data] = [], header: Data, parentHeader: Data = Data("{}".utf8),
                metadata: Data = Data("{}".utf8), content: Data = Data("{}".utf8), buffers: [Data] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// The header decoded; throws `WireError.malformedHeader` with the reason.
    public func decodedHeader() throws -> MessageHeader {
        do {
            return try JSONDecoder().decode(MessageHeader.self, from: header)
        } catch {
            throw WireError.malformedHeader(String(describing: error))
        }
    }

    /// The content decoded as `type`.
    public func decodedContent<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: content)
    }
}
