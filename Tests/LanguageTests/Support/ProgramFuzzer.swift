import Engine
@testable import Language

/// Makes random and mutated programs for the robustness test, from a seeded generator.
struct ProgramFuzzer {
    var random: SeededRandom

    /// Names the generator calls; `sleep` is left to the mutated seeds, since every sleeping cell costs a poll (10 ms).
    static let names = ["x", "y", "xs", "name", "t", "print", "len", "type", "help", "show", "warn", "seed",
                        "input", "save", "clear_output", "classes", "undefined", "true", "false", "none"]
    static let operators = ["+", "-", "*", "/", "%", "**", "..", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
    static let fragments = ["(", ")", "[", "]", ",", ":", "=", ".", "\"", "'", "#", "\n", "?", "!", "$", "\\",
                            "1e308", "-0", "0.5", "1e400", "é", "\t", "nan", "..", "...", "x:", "top:", "\"chelsea\""]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[random.integer(in: 0..<items.count)]
    }

    mutating func chance(_ probability: Float) -> Bool { random.uniform() < probability }

    /// A random expression of at most `depth` levels, mostly well-formed.
    mutating func expression(depth: Int) -> String {
        if depth <= 0 || chance(0.3) {
            switch random.integer(in: 0..<6) {
            case 0: return String(random.integer(in: -3..<20))
            case 1: return pick(["0.25", "1e3", "2.5", "0", "-1", "1e20"])
            case 2: return pick(["\"abc\"", "'x'", "\"\"", "\"a\\nb\""])
            default: return pick(ProgramFuzzer.names)
            }
        }
        switch random.integer(in: 0..<7) {
        case 0, 1: return expression(depth: depth - 1) + " " + pick(ProgramFuzzer.operators) + " " + expression(depth: depth - 1)
        case 2: return "[" + (0..<random.integer(in: 0..<4)).map { _ in expression(depth: depth - 1) }.joined(separator: ", ") + "]"
        case 3:
            var arguments = (0..<random.integer(in: 0..<3)).map { _ in expression(depth: depth - 1) }
            if chance(0.3) { arguments.append(pick(["top", "wait", "seconds", "prompt", "path", "name"]) + ": " + expression(depth: depth - 1)) }
            return pick(ProgramFuzzer.names) + "(" + arguments.joined(separator: ", ") + ")"
        case 4: return expression(depth: depth - 1) + "[" + expression(depth: depth - 1) + "]"
        case 5: return expression(depth: depth - 1) + "." + pick(["length", "rows", "columns", "x", "shape"])
        default: return pick(["-", "not ", "("]) + expression(depth: depth - 1) + (chance(0.5) ? ")" : "")
        }
    }

    /// A random program of a few statements.
    mutating func program() -> String {
        (0..<random.integer(in: 1..<5)).map { _ in
            chance(0.4) ? pick(["x", "y", "xs", "name", "t"]) + " = " + expression(depth: 3) : expression(depth: 3)
        }.joined(separator: "\n")
    }

    /// `source` with a few random edits: deletions, insertions of fragments, duplications, swaps.
    mutating func mutate(_ source: String) -> String {
        var scalars = Array(source.unicodeScalars)
        for _ in 0..<random.integer(in: 1..<4) {
            let position = scalars.isEmpty ? 0 : random.integer(in: 0..<(scalars.count + 1))
            switch random.integer(in: 0..<4) {
            case 0 where !scalars.isEmpty && position < scalars.count:
                let length = min(random.integer(in: 1..<6), scalars.count - position)
                scalars.removeSubrange(position..<(position + length))
            case 1:
                scalars.insert(contentsOf: pick(ProgramFuzzer.fragments).unicodeScalars, at: position)
            case 2 where !scalars.isEmpty && position < scalars.count:
                let length = min(random.integer(in: 1..<10), scalars.count - position)
                scalars.insert(contentsOf: scalars[position..<(position + length)], at: position)
            default:
                if scalars.count > 1 {
                    let other = random.integer(in: 0..<scalars.count)
                    scalars.swapAt(min(position, scalars.count - 1), other)
                }
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
