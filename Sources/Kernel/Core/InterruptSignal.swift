import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set from the SIGINT handler. A signal handler may only touch lock-free
/// state, so this is a bare global atomic and nothing else happens in the handler.
let sigintReceived = Atomic<Bool>(false)

/// Routes SIGINT (jupyter_client's default interrupt, sent to the process group)
/// into the cancellation flag a running cell polls, instead of killing the process.
public enum InterruptSignal {
    /// Installs the handler; call once at start-up.
    public static func install() {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in sigintReceived.store(true, ordering: .relaxed) }
        #else
        action.__sigaction_u.__sa_handler = { _ in sigintReceived.store(true, ordering: .relaxed) }
        #endif
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    static var isPending: Bool { sigintReceived.load(ordering: .relaxed) }

    static func reset() { sigintReceived.store(false, ordering: .relaxed) }
}
