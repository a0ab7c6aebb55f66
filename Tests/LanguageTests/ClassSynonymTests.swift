import XCTest
import Engine
@testable import Language

/// ImageNet classes answer to every WordNet synonym, as the reference promises.
final class ClassSynonymTests: XCTestCase {
    private func imageNetNames() throws -> [String] {
        guard let names = try? ImageNetClasses.names() else {
            throw XCTSkip("ImageNet class names are not fetched (run make setup)")
        }
        return names
    }

    func testEverySynonymNamesItsClassIgnoringCaseAndUnderscores() throws {
        let names = try imageNetNames()
        // Networks still show the first synonym.
        XCTAssertEqual(names[281], "tabby")
        XCTAssertEqual(names[1], "goldfish")
        let resolver = ClassResolver(classNames: names)
        XCTAssertEqual(try resolver.resolve(.string("tabby")), 281)
        XCTAssertEqual(try resolver.resolve(.string("tabby cat")), 281)
        XCTAssertEqual(try resolver.resolve(.string("Tabby_Cat")), 281)
        // Second synonyms of other classes: 1 "goldfish, Carassius auratus", 0 "tench, Tinca tinca".
        XCTAssertEqual(try resolver.resolve(.string("Carassius auratus")), 1)
        XCTAssertEqual(try resolver.resolve(.string("tinca_tinca")), 0)
        // A name two classes share is still ambiguous, listed with all their synonyms.
        XCTAssertThrowsError(try resolver.resolve(.string("crane"))) { error in
            XCTAssertEqual((error as? LensError)?.message, "'crane' names 2 classes")
            XCTAssertEqual((error as? LensError)?.hint?.hasPrefix("use an index: 134 \"crane\", 517 \"crane\""), true)
        }
    }

    func testSynonymsOfOtherNetworksComeFromTheirOwnNames() {
        XCTAssertEqual(ImageNetClasses.synonyms(of: ["tabby, tabby cat", "7"]), [["tabby", "tabby cat"], ["7"]])
    }

    func testCompletionAndClassesListTheSynonyms() throws {
        let names = try imageNetNames()
        let offered = ImageNetClasses.synonyms(of: names).flatMap { $0 }
        XCTAssertTrue(offered.contains("tabby cat"))
        XCTAssertTrue(offered.contains("Carassius auratus"))
        XCTAssertEqual(offered.filter { $0 == "tabby" }.count, 1)
        // classes(net) on the toy network: its class names hold their synonyms themselves.
        let session = try ToyNetwork.session()
        let cell = run("c = classes(net, search: \"tabby cat\")", in: session)
        XCTAssertNil(cell.error)
        guard case .table(let table)? = session.variables["c"] else { return XCTFail("classes gave no table") }
        XCTAssertEqual(table.columns, ["index", "class", "synonyms"])
        XCTAssertEqual(table.rows.count, 1)
        XCTAssertEqual(table.rows.first.map { ValueText.plain($0[2]) }, "\"tabby, tabby cat\"")
    }
}
