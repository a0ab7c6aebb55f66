import CZeroMQ
import Foundation

/// The iopub XPUB on its own thread.
///
/// Shell and control publish through a `SocketFeed`; this thread forwards to the XPUB
/// and, on every new subscription, sends `iopub_welcome` so a front end knows its
/// subscription is live (JEP 65).
final class IOPubChannel: @unchecked Sendable {
    private let publisher: ZMQSocket
    private let feed: SocketFeed
    private let codec: WireCodec
    private let session: String
    private let stopping: AtomicFlag

    init(context: UnsafeMutableRawPointer, publisher: ZMQSocket, codec: WireCodec, session: String,
         stopping: AtomicFlag) throws {
        self.publisher = publisher
        self.codec = codec
        self.session = session
        self.stopping = stopping
        feed = try SocketFeed(context: context, name: "iopub")
    }

    /// Queues a message for publishing; safe from any thread.
    func publish(_ message: WireMessage) {
        feed.send(codec.encode(message))
    }

    func run() {
        feed.forward(to: publisher, stopping: stopping) {
            if let frames = publisher.receive() { welcome(subscriptionFrames: frames) }
        }
    }

    /// An XPUB subscription frame is 0x01 followed by the topic; 0x00 is an unsubscribe.
    private func welcome(subscriptionFrames frames: [Data]) {
        guard let frame = frames.first, frame.first == 1 else { return }
        let topic = frame.dropFirst()
        let header = MessageHeader(session: session, msgType: "iopub_welcome")
        let content: JSONValue = ["subscription": .string(String(decoding: topic, as: UTF8.self))]
        let message = WireMessage(identities: [Data(topic)], header: Outbox.encode(header),
                                  content: Outbox.encode(content))
        publisher.send(codec.encode(message))
    }

    func close() {
        feed.close()
    }
}
