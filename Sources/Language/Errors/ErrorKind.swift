/// What went wrong, named the way the notebook shows it (the protocol's `ename`).
public enum ErrorKind: String, Sendable {
    /// The text is not a valid program.
    case syntax = "SyntaxError"
    /// A name that is neither a variable nor a builtin.
    case name = "NameError"
    /// A value of the wrong type for an operation or argument.
    case type = "TypeError"
    /// A call with missing, extra or unknown arguments.
    case argument = "ArgumentError"
    /// A value of the right type that makes no sense (an unknown class, an index out of range).
    case value = "ValueError"
    /// Reading or writing a file failed.
    case io = "IOError"
    /// The user interrupted the cell.
    case interrupted = "Interrupted"
    /// The engine failed while computing.
    case engine = "EngineError"
}
