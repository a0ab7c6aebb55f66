/// Thrown by `input` when the user interrupts while the kernel waits for a reply.
public struct InputInterrupted: Error, CustomStringConvertible {
    public var description: String { "interrupted while waiting for input" }
}
