import CZeroMQ
import Foundation

/// The iopub XPUB on its own thread.
///
/// Shell and control publish through one inproc PUSH socket (under a lock);
/// this thread forwards to the XPUB and, on every new subscription, sends
/// `iopub_welcome` so a front end knows its subscription is live (JEP 65).
final class IOPubChannel: @unchecked Sendable {
    static let feedEndpoint = "inproc://convlens-iopub-feed"

    private let publisher: ZMQSocket
    private let feedIn: ZMQSocket
    private let feedOut: ZMQSocket
    private let feedLock = NSLock()
    private let codec: WireCodec
    private let session: String
    private let stopping: AtomicFlag

    init(context: UnsafeMutableRawPointer, publisher: ZMQSocket, codec: WireCodec, session: String,
         stopping: AtomicFlag) throws {
        self.publisher = publisher
        self.codec = codec
        self.session = session
        self.stopping = stopping
        feedIn = try ZMQSocket(context: context, type: ZMQ_PULL, name: "iopub feed (pull)")
        try feedIn.bind(Self.feedEndpoint)
        feedOut = try ZMQSocket(context: context, type: ZMQ_PUSH, name: "iopub feed (push)")
        try feedOut.connect(Self.feedEndpoint)
    }

    /// Queues a message for publishing; safe from any thread.
    func publish(_ message: WireMessage) {
        let frames = codec.encode(message)
        feedLock.lock()
        feedOut.send(frames)
        feedLock.unlock()
    }

    func run() {
        var items = [
            zmq_pollitem_t(socket: feedIn.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0),
            zmq_pollitem_t(socket: publisher.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0),
        ]
        while !stopping.isSet {
            guard zmq_poll(&items, 2, 100) > 0 else { continue }
            if items[0].revents & Int16(ZMQ_POLLIN) != 0 { forwardQueued() }
            if items[1].revents & Int16(ZMQ_POLLIN) != 0, let frames = publisher.receive() {
                welcome(subscriptionFrames: frames)
            }
        }
        forwardQueued()
    }

    /// Sends everything waiting in the feed, without blocking.
    private func forwardQueued() {
        while let frames = feedIn.receive() {
            publisher.send(frames)
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
        feedOut.close()
        feedIn.close()
    }
}
