import Synchronization

/// A Boolean that several threads read and write without a lock.
public final class AtomicFlag: Sendable {
    private let value: Atomic<Bool>

    public init(_ initial: Bool = false) {
        value = Atomic(initial)
    }

    public var isSet: Bool { value.load(ordering: .acquiring) }

    public func set() { value.store(true, ordering: .releasing) }

    public func clear() { value.store(false, ordering: .releasing) }
}
