import Foundation
import Glibc

/// Runs a C routine that may abort by "longjmp" on a separate stack, so the abort can return
/// control to Swift instead of crashing the process.
///
/// libjpeg reports fatal errors through `error_exit` and libpng through its error function,
/// neither of which may return; C code answers with setjmp/longjmp, which Swift cannot call. The same effect is had with ucontext:
/// the routine runs on its own stack (`makecontext` + `swapcontext`), and `abandon()` jumps
/// back to the caller's saved context (`setcontext`), discarding the routine's frames. Only
/// plain C state may live in those frames (they are never unwound), which is why the JPEG
/// decoders keep everything in manually allocated memory. The ucontext functions are looked
/// up with dlsym because Swift does not import them (getcontext returns twice in spirit, and
/// makecontext is variadic; it is called with no extra arguments).
enum CContextSwitch {
    private typealias ContextFunction = @convention(c) (UnsafeMutablePointer<ucontext_t>?) -> Int32
    private typealias SwapFunction = @convention(c) (UnsafeMutablePointer<ucontext_t>?, UnsafeMutablePointer<ucontext_t>?) -> Int32
    private typealias MakeFunction = @convention(c) (UnsafeMutablePointer<ucontext_t>?, (@convention(c) () -> Void)?, Int32) -> Void

    private struct Functions {
        let get: ContextFunction
        let set: ContextFunction
        let swap: SwapFunction
        let make: MakeFunction
    }

    private static let functions: Functions? = {
        guard let get = dlsym(nil, "getcontext"), let set = dlsym(nil, "setcontext"),
              let swap = dlsym(nil, "swapcontext"), let make = dlsym(nil, "makecontext") else { return nil }
        return Functions(get: unsafeBitCast(get, to: ContextFunction.self), set: unsafeBitCast(set, to: ContextFunction.self),
                         swap: unsafeBitCast(swap, to: SwapFunction.self), make: unsafeBitCast(make, to: MakeFunction.self))
    }()

    /// One routine runs at a time (the contexts are global); decoding an image takes milliseconds.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var callerContext: UnsafeMutablePointer<ucontext_t>?
    nonisolated(unsafe) private static var routine: (@convention(c) () -> Void)?

    static let stackSize = 1 << 20

    /// Runs `body` on a private stack; returns false if it called `abandon()`.
    static func run(_ body: @convention(c) () -> Void) throws -> Bool {
        guard let functions else { throw EngineError.unsupported("JPEG decoding needs ucontext support from the C library") }
        lock.lock()
        defer { lock.unlock() }
        let caller = UnsafeMutablePointer<ucontext_t>.allocate(capacity: 1)
        let worker = UnsafeMutablePointer<ucontext_t>.allocate(capacity: 1)
        let stack = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        defer { caller.deallocate(); worker.deallocate(); stack.deallocate() }
        callerContext = caller
        routine = body
        completed = false
        guard functions.get(worker) == 0 else { throw EngineError.unsupported("getcontext failed") }
        worker.pointee.uc_stack.ss_sp = stack
        worker.pointee.uc_stack.ss_size = stackSize
        worker.pointee.uc_link = caller
        functions.make(worker, trampoline, 0)
        guard functions.swap(caller, worker) == 0 else { throw EngineError.unsupported("swapcontext failed") }
        callerContext = nil
        routine = nil
        return completed
    }

    nonisolated(unsafe) private static var completed = false

    private static let trampoline: @convention(c) () -> Void = {
        CContextSwitch.routine?()
        CContextSwitch.completed = true
        // Returning resumes uc_link, the caller's context.
    }

    /// Called from inside the routine: leaves it for good and resumes `run`, which returns false.
    static func abandon() {
        guard let functions, let callerContext else { return }
        _ = functions.set(callerContext)
    }
}
