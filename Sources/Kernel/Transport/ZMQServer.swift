import CZeroMQ
import Foundation

/// The ZeroMQ side of the kernel (after xeus-zmq's server): binds the five
/// sockets from the connection file and runs one loop per channel.
///
/// Threads: cells (and stdin) on the caller's thread; the shell reader, control,
/// heartbeat and iopub each on their own, so none of them waits on a cell; comm
/// messages on one serial comm queue, so widgets answer while a cell runs.
public final class ZMQServer: KernelTransport, @unchecked Sendable {
    /// Larger messages are refused by libzmq (the sender is disconnected) instead of filling memory.
    public static let maximumMessageBytes: Int64 = 256 << 20

    public let session: String
    private let context: UnsafeMutableRawPointer
    private let codec: WireCodec
    private let shell: ZMQSocket
    private let shellChannel: ShellChannel
    /// Comm messages run here one at a time, beside the cell (see README, "Widgets").
    private let commQueue = DispatchQueue(label: "convlens.comms")
    private let stdin: ZMQSocket
    private let control: ControlChannel
    private let controlSocket: ZMQSocket
    private let heartbeatSocket: ZMQSocket
    private let publisher: ZMQSocket
    private let iopub: IOPubChannel
    private let heartbeat: HeartbeatChannel
    private let stopping = AtomicFlag()
    /// Set only after shell and control have stopped, so their last idle still goes out.
    private let iopubStopping = AtomicFlag()
    /// Set once cells and comm handlers are done, so the shell reader forwards their last replies.
    private let shellStopping = AtomicFlag()
    private var core: KernelCore?

    /// Binds every socket; throws with the endpoint that failed (a port in use, a bad ip).
    public init(connection: ConnectionInfo, session: String = UUID().uuidString.lowercased()) throws {
        self.session = session
        codec = WireCodec(signer: try MessageSigner(key: connection.key, schemeName: connection.signatureScheme))
        guard let context = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.context = context
        if connection.usesCurve && zmq_has("curve") == 0 {
            throw ZMQError("CurveZMQ requested by the connection file, but this libzmq was built without CURVE",
                           code: EPROTONOSUPPORT)
        }
        func makeSocket(_ type: Int32, _ name: String, _ port: Int) throws -> ZMQSocket {
            let socket = try ZMQSocket(context: context, type: type, name: name)
            try socket.setOption(ZMQ_LINGER, Int32(1000))
            try socket.setOption(ZMQ_MAXMSGSIZE, Self.maximumMessageBytes)
            if type == ZMQ_ROUTER { try socket.setOption(ZMQ_ROUTER_HANDOVER, Int32(1)) }
            if type == ZMQ_XPUB { try socket.setOption(ZMQ_XPUB_VERBOSE, Int32(1)) }
            if connection.usesCurve, let publicKey = connection.curvePublicKey, let secretKey = connection.curveSecretKey {
                try socket.makeCurveServer(publicKey: publicKey, secretKey: secretKey)
            }
            try socket.bind(connection.endpoint(port: port))
            return socket
        }
        shell = try makeSocket(ZMQ_ROUTER, "shell", connection.shellPort)
        controlSocket = try makeSocket(ZMQ_ROUTER, "control", connection.controlPort)
        stdin = try makeSocket(ZMQ_ROUTER, "stdin", connection.stdinPort)
        publisher = try makeSocket(ZMQ_XPUB, "iopub", connection.iopubPort)
        heartbeatSocket = try makeSocket(ZMQ_REP, "heartbeat", connection.hbPort)
        iopub = try IOPubChannel(context: context, publisher: publisher, codec: codec, session: session,
                                 stopping: iopubStopping)
        heartbeat = HeartbeatChannel(socket: heartbeatSocket, stopping: stopping)
        var handleComm: ((WireMessage) -> Void)?
        shellChannel = try ShellChannel(context: context, socket: shell, codec: codec, stopping: shellStopping) { message in
            handleComm?(message)
        }
        var handleControl: ((WireMessage) -> Void)?
        control = ControlChannel(socket: controlSocket, codec: codec, stopping: stopping) { message in
            handleControl?(message)
        }
        handleControl = { [unowned self] message in self.core?.handle(message, from: .control) }
        handleComm = { [unowned self] message in
            self.commQueue.async { self.core?.handleComm(message) }
        }
    }

    /// Serves `core` until a shutdown_request arrives; returns after every thread has stopped.
    public func run(_ core: KernelCore) {
        self.core = core
        let stopping = self.stopping
        let finished = AtomicFlag()
        core.onShutdown = { _ in stopping.set() }
        let iopubThread = ChannelThread(name: "iopub") { [iopub] in iopub.run() }
        let controlThread = ChannelThread(name: "control") { [control] in control.run() }
        let heartbeatThread = ChannelThread(name: "heartbeat") { [heartbeat] in heartbeat.run() }
        let shellThread = ChannelThread(name: "shell") { [shellChannel] in shellChannel.run() }
        iopubThread.start()
        shellThread.start()
        controlThread.start()
        heartbeatThread.start()

        // A front end that dies without shutting us down must not leave an orphan
        // kernel behind: like ipykernel, stop when the launching parent (JPY_PARENT_PID) is gone.
        let launchedByJupyter = ProcessInfo.processInfo.environment["JPY_PARENT_PID"] != nil
        let parent = getppid()
        // A cell that ignores the interrupt flag must not keep a shut-down kernel alive.
        let watchdog = ChannelThread(name: "shutdown watchdog") {
            while !stopping.isSet {
                usleep(100_000)
                if launchedByJupyter && getppid() != parent {
                    KernelLog.info("the front end that started this kernel exited; shutting down")
                    core.cancellation.cancel()
                    stopping.set()
                }
            }
            // Only a run loop still stuck in a cell after 5 s warrants exiting the process;
            // a server that closed cleanly (as in tests) must leave its host process alone.
            for _ in 0..<50 {
                if finished.isSet { return }
                usleep(100_000)
            }
            if finished.isSet { return }
            KernelLog.error("a cell ignored shutdown for 5 s; exiting")
            exit(0)
        }
        watchdog.start()

        while !stopping.isSet {
            guard let message = shellChannel.next(timeout: 0.1) else { continue }
            core.handle(message, from: .shell)
        }
        // A comm handler still running must finish before the sockets it sends on close.
        commQueue.sync {}
        shellStopping.set()
        shellThread.join(timeout: 2)
        controlThread.join(timeout: 2)
        heartbeatThread.join(timeout: 2)
        iopubStopping.set()
        iopubThread.join(timeout: 2)
        close()
        finished.set()
    }

    private func decode(_ frames: [Data], channel: String) -> WireMessage? {
        do {
            return try codec.decode(frames)
        } catch {
            KernelLog.error("\(channel): \(error)")
            return nil
        }
    }

    private func close() {
        iopub.close()
        shellChannel.close()
        for socket in [shell, stdin, controlSocket, heartbeatSocket, publisher] {
            socket.close(lingerMilliseconds: 500)
        }
        zmq_ctx_term(context)
    }

    // MARK: KernelTransport

    public func send(_ message: WireMessage, on channel: Channel) {
        switch channel {
        case .shell: shellChannel.send(message)
        case .control: control.send(message)
        case .stdin: stdin.send(codec.encode(message))
        case .iopub: iopub.publish(message)
        }
    }

    public func drainShell() -> [WireMessage] {
        shellChannel.drain()
    }

    public func receiveStdin(timeout: Double) -> WireMessage? {
        guard stdin.poll(timeoutMilliseconds: Int(timeout * 1000)), let frames = stdin.receive() else { return nil }
        return decode(frames, channel: "stdin")
    }
}
