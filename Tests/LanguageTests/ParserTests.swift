import XCTest
@testable import Language

final class ParserTests: XCTestCase {
    /// A fully parenthesised rendering of an expression, to check precedence and associativity.
    private func shape(_ expression: ExpressionNode) -> String {
        switch expression.kind {
        case .number(let n): return NumberFormatting.format(n)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .none: return "none"
        case .variable(let name): return name
        case .list(let items): return "[" + items.map(shape).joined(separator: ", ") + "]"
        case .range(let a, let b): return "(\(shape(a))..\(shape(b)))"
        case .unary(let op, let operand): return "(\(op.rawValue) \(shape(operand)))"
        case .binary(let op, let a, let b, _): return "(\(shape(a)) \(op.rawValue) \(shape(b)))"
        case .call(let callee, let arguments):
            return shape(callee) + "(" + arguments.map { ($0.label.map { "\($0): " } ?? "") + shape($0.value) }
                .joined(separator: ", ") + ")"
        case .index(let base, let index): return "\(shape(base))[\(shape(index))]"
        case .member(let base, let name, _): return "\(shape(base)).\(name)"
        }
    }

    private func parsed(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let (statements, errors) = Parser.parse(source)
        XCTAssertEqual(errors.count, 0, "\(errors)", file: file, line: line)
        return statements.map { statement in
            switch statement {
            case .assignment(let name, _, let value): return "\(name) = \(shape(value))"
            case .expression(let value): return shape(value)
            }
        }
    }

    func testPrecedence() {
        XCTAssertEqual(parsed("1 + 2 * 3 - 4"), ["((1 + (2 * 3)) - 4)"])
        XCTAssertEqual(parsed("-2 ** 2"), ["(- (2 ** 2))"])
        XCTAssertEqual(parsed("2 ** 3 ** 2"), ["(2 ** (3 ** 2))"])
        XCTAssertEqual(parsed("a + 1..b * 2"), ["((a + 1)..(b * 2))"])
        XCTAssertEqual(parsed("not a == b and c or d"), ["(((not (a == b)) and c) or d)"])
        XCTAssertEqual(parsed("(1 + 2) * 3"), ["((1 + 2) * 3)"])
    }

    func testCallsMembersAndIndexes() {
        XCTAssertEqual(parsed("saliency(net, cat, class: \"tabby\")"), ["saliency(net, cat, class: \"tabby\")"])
        XCTAssertEqual(parsed("net.layers[0].name"), ["net.layers[0].name"])
        XCTAssertEqual(parsed("f()(1)"), ["f()(1)"])
        XCTAssertEqual(parsed("[1, [2, 3],]"), ["[1, [2, 3]]"])
    }

    func testStatementsAndLineBreaks() {
        XCTAssertEqual(parsed("x = 1\ny = x +\n  2\nclassify(net,\n   img, top: 3)"),
                       ["x = 1", "y = (x + 2)", "classify(net, img, top: 3)"])
    }

    func testErrorsAreLocatedAndSeveralAreReported() {
        let (_, errors) = Parser.parse("x = )\ny = 1 +* 2\nz = 3")
        XCTAssertEqual(errors.count, 2)
        XCTAssertEqual(errors[0].span?.start.line, 1)
        XCTAssertEqual(errors[0].span?.start.column, 5)
        XCTAssertEqual(errors[0].message, "expected an expression, found ')'")
        XCTAssertEqual(errors[1].span?.start.line, 2)
        XCTAssertEqual(errors[1].span?.start.column, 8)
    }

    func testNamedArgumentMistakes() {
        let (_, errors) = Parser.parse("f(a = 1)")
        XCTAssertEqual(errors.first?.message, "named arguments use ':', not '='")
        let (_, positional) = Parser.parse("f(a: 1, 2)")
        XCTAssertEqual(positional.first?.message, "a positional argument cannot follow a named one")
        let (_, twice) = Parser.parse("f(a: 1, a: 2)")
        XCTAssertEqual(twice.first?.message, "argument 'a' is given twice")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let (_, errors) = Parser.parse(deep)
        XCTAssertEqual(errors.first?.message, "expression nested too deeply")
        let negations = String(repeating: "-", count: 5000) + "1"
        XCTAssertFalse(Parser.parse(negations).errors.isEmpty)
    }
}
