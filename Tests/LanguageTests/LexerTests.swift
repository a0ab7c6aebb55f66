import XCTest
@testable import Language

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) -> [TokenKind] {
        Lexer.tokenize(source).tokens.map(\.kind)
    }

    func testPunctuationAndKeywords() {
        XCTAssertEqual(kinds("a = 1 + 2 ** 3 .. 4"),
                       [.identifier, .equal, .number, .plus, .number, .starStar, .number, .dotDot, .number, .end])
        XCTAssertEqual(kinds("not true and false or none"),
                       [.notKeyword, .trueKeyword, .andKeyword, .falseKeyword, .orKeyword, .noneKeyword, .end])
        XCTAssertEqual(kinds("a<=b>=c!=d==e<f>g"),
                       [.identifier, .lessEqual, .identifier, .greaterEqual, .identifier, .bangEqual, .identifier,
                        .equalEqual, .identifier, .less, .identifier, .greater, .identifier, .end])
    }

    func testRangeIsNotAFraction() {
        let tokens = Lexer.tokenize("0..15").tokens
        XCTAssertEqual(tokens.map(\.kind), [.number, .dotDot, .number, .end])
        XCTAssertEqual(tokens[0].number, 0)
        XCTAssertEqual(tokens[2].number, 15)
    }

    func testNumberForms() {
        let numbers = Lexer.tokenize("1.5 2e3 1_000 4.25e-2").tokens.filter { $0.kind == .number }.map(\.number)
        XCTAssertEqual(numbers, [1.5, 2000, 1000, 0.0425])
    }

    func testStringEscapesAndBothQuotes() {
        let tokens = Lexer.tokenize(#""a\"b\n" 'c\'d'"#).tokens
        XCTAssertEqual(tokens[0].text, "a\"b\n")
        XCTAssertEqual(tokens[1].text, "c'd")
    }

    func testNewlinesEndStatementsExceptInsideBrackets() {
        XCTAssertEqual(kinds("f(1,\n 2)\nx"),
                       [.identifier, .leftParen, .number, .comma, .number, .rightParen, .newline, .identifier, .end])
        XCTAssertEqual(kinds("\n\n# comment\nx # trailing\n\n"), [.identifier, .newline, .end])
    }

    func testLocationsCountScalarsLinesAndColumns() {
        let tokens = Lexer.tokenize("é = 1\n  b").tokens
        XCTAssertEqual(tokens[0].span.start, SourceLocation(offset: 0, line: 1, column: 1))
        XCTAssertEqual(tokens[2].span.start, SourceLocation(offset: 4, line: 1, column: 5))
        let b = tokens.first { $0.lexeme == "b" }
        XCTAssertEqual(b?.span.start, SourceLocation(offset: 8, line: 2, column: 3))
    }

    func testUnterminatedStringNeedsMoreInput() {
        let (tokens, errors) = Lexer.tokenize("x = \"abc")
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].needsMoreInput)
        XCTAssertEqual(errors[0].span?.start.column, 5)
        XCTAssertTrue(tokens[2].isUnterminated)
    }

    func testUnknownCharacterIsLocatedError() {
        let errors = Lexer.tokenize("x = 1 $ 2").errors
        XCTAssertEqual(errors.first?.message, "unexpected character '$'")
        XCTAssertEqual(errors.first?.span?.start.column, 7)
        XCTAssertFalse(errors.first?.needsMoreInput ?? true)
    }
}
