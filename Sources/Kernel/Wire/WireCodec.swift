import Foundation

/// Turns ZeroMQ multipart frames into `WireMessage`s and back, signing on the
/// way out and checking signatures on the way in.
///
/// Frames: identities..., `<IDS|MSG>`, signature, header, parent header,
/// metadata, content, buffers...
public struct WireCodec: Sendable {
    public static let delimiter = Data("<IDS|MSG>".utf8)

    public let signer: MessageSigner

    public init(signer: MessageSigner) {
        self.signer = signer
    }

    public func encode(_ message: WireMessage) -> [Data] {
        let signed = [message.header, message.parentHeader, message.metadata, message.content]
        var frames = message.identities
        frames.reserveCapacity(frames.count + 6 + message.buffers.count)
        frames.append(Self.delimiter)
        frames.append(Data(signer.signature(for: signed).utf8))
        frames.append(contentsOf: signed)
        frames.append(contentsOf: message.buffers)
        return frames
    }

    /// Parses and verifies `frames`; throws a `WireError` saying what is wrong.
    public func decode(_ frames: [Data]) throws -> WireMessage {
        guard let split = frames.firstIndex(of: Self.delimiter) else {
            throw WireError.missingDelimiter(frameCount: frames.count)
        }
        let rest = Array(frames[(split + 1)...])
        guard rest.count >= 5 else { throw WireError.tooFewFrames(found: rest.count) }
        let signed = Array(rest[1...4])
        guard signer.verify(rest[0], for: signed) else {
            let type = try? JSONDecoder().decode(MessageHeader.self, from: rest[1]).msgType
            throw WireError.badSignature(msgType: type)
        }
        return WireMessage(identities: Array(frames[..<split]), header: signed[0], parentHeader: signed[1],
                           metadata: signed[2], content: signed[3], buffers: Array(rest.dropFirst(5)))
    }
}
