import Foundation

/// The four message channels; heartbeat never reaches the core.
public enum Channel: String, Sendable {
    case shell, control, iopub, stdin
}

/// What the core needs from whatever moves bytes: ZeroMQ in the real kernel,
/// an in-memory recorder in tests (after xeus's `xserver`).
public protocol KernelTransport: AnyObject {
    /// Signs and sends `message`; on shell, control and stdin it is routed by its identities.
    /// Safe to call from the shell and control threads at once.
    func send(_ message: WireMessage, on channel: Channel)

    /// The shell requests that have already arrived, taken without waiting
    /// (stop_on_error aborts these after a failing cell).
    func drainShell() -> [WireMessage]

    /// Waits up to `timeout` seconds for the next message on stdin.
    func receiveStdin(timeout: Double) -> WireMessage?
}
