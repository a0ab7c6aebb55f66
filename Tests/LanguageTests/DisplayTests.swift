import XCTest
import Engine
@testable import Language

final class DisplayTests: XCTestCase {
    private func table(rows: Int) -> Table {
        Table(title: "Top classes", columns: ["index", "class", "probability"],
              rows: (0..<rows).map { [.number(Double($0)), .string("class <\($0)>"), .number(1 / Double($0 + 2))] })
    }

    func testShortTableInAllThreeForms() {
        let bundle = Value.table(table(rows: 2)).displayBundle()
        XCTAssertEqual(bundle.data["text/plain"], """
        Top classes
        index  class      probability
        -----  ---------  -----------
            0  class <0>          0.5
            1  class <1>     0.333333
        """)
        XCTAssertEqual(bundle.data["text/markdown"], """
        **Top classes**

        | index | class | probability |
        | ---: | --- | ---: |
        | 0 | class <0> | 0.5 |
        | 1 | class <1> | 0.333333 |
        """)
        let html = bundle.data["text/html"] ?? ""
        XCTAssertTrue(html.contains("<caption>Top classes</caption>"))
        XCTAssertTrue(html.contains("<td>class &lt;1&gt;</td>"))
        XCTAssertTrue(html.contains("<td style=\"text-align:right\">0.333333</td>"))
    }

    func testLongTableShowsAHeadAndTheCount() {
        let bundle = Value.table(table(rows: 1000)).displayBundle()
        let plain = bundle.data["text/plain"] ?? ""
        XCTAssertEqual(plain.split(separator: "\n").count, 1 + 2 + 20 + 1)
        XCTAssertTrue(plain.hasSuffix("… 1000 rows in all (showing the first 20)"))
        XCTAssertEqual(bundle.data["text/html"]?.components(separatedBy: "<tr>").count, 1 + 1 + 20)
        XCTAssertTrue(bundle.data["text/markdown"]?.contains("1000 rows in all") ?? false)
    }

    func testScalarsAreTextOnly() {
        XCTAssertEqual(Value.number(3).displayBundle().data, ["text/plain": "3"])
        XCTAssertEqual(Value.number(1e-7).displayBundle().plainText, "1e-07")
        XCTAssertEqual(Value.number(123456789.5).displayBundle().plainText, "123456789.5")
        XCTAssertEqual(Value.number(1e20).displayBundle().plainText, "1e+20")
        XCTAssertEqual(Value.string("a\"b").displayBundle().plainText, "\"a\\\"b\"")
        XCTAssertEqual(Value.list([.number(1), .string("a"), .bool(true), .none]).displayBundle().plainText, "[1, \"a\", true, none]")
    }

    func testTableMembersAndIndexing() {
        let session = Session()
        session.assign("t", .table(table(rows: 3)))
        XCTAssertEqual(result("t.rows", in: session), "3")
        XCTAssertEqual(result("t.columns", in: session), "[\"index\", \"class\", \"probability\"]")
        XCTAssertEqual(result("t.probability[0]", in: session), "0.5")
        XCTAssertEqual(result("t[\"class\"][2]", in: session), "\"class <2>\"")
        XCTAssertEqual(result("len(t[1])", in: session), "1")
        XCTAssertEqual(failure("t.probabilty", in: session)?.hint, "did you mean 'probability'?")
    }
}

final class SaveTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testNpyHeaderAndLittleEndianFloats() throws {
        XCTAssertNil(run("save([[1, 2, 3], [4, 5, 6.5]], \"\(path("m.npy"))\")").error)
        let data = try Data(contentsOf: URL(fileURLWithPath: path("m.npy")))
        XCTAssertEqual(Array(data.prefix(8)), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0, "numpy aligns the data to 64 bytes")
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        XCTAssertTrue(header.hasSuffix("\n"))
        let floats = data[(10 + headerLength)...]
        XCTAssertEqual(floats.count, 24)
        // 6.5 as float32 is 0x40D00000, stored little-endian last.
        XCTAssertEqual(Array(floats.suffix(4)), [0x00, 0x00, 0xD0, 0x40])
        XCTAssertEqual(Array(floats.prefix(4)), [0x00, 0x00, 0x80, 0x3F])
    }

    func testNpyShapesOfScalarsAndVectors() throws {
        XCTAssertNil(run("save(1, \"\(path("scalar.npy"))\")").error)
        XCTAssertNil(run("save([1, 2, 3, 4], \"\(path("vector.npy"))\")").error)
        let scalar = try NpyArray.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("scalar.npy")))), source: "scalar.npy")
        XCTAssertEqual(scalar, try NpyArray(shape: [], values: [1]))
        let vector = try NpyArray.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("vector.npy")))), source: "vector.npy")
        XCTAssertEqual(vector, try NpyArray(shape: [4], values: [1, 2, 3, 4]))
        XCTAssertEqual(run("save([[1, 2], [3]], \"\(path("ragged.npy"))\")").error?.kind, .type)
    }

    func testCsvAndJsonOfTables() throws {
        let session = Session()
        session.assign("t", .table(Table(columns: ["class", "probability"],
                                         rows: [[.string("tabby, tabby cat"), .number(0.75)], [.string("say \"hi\""), .number(0.125)]])))
        XCTAssertNil(run("save(t, \"\(path("t.csv"))\")\nsave(t, \"\(path("t.json"))\")", in: session).error)
        XCTAssertEqual(try String(contentsOfFile: path("t.csv"), encoding: .utf8),
                       "class,probability\r\n\"tabby, tabby cat\",0.75\r\n\"say \"\"hi\"\"\",0.125\r\n")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("t.json")))) as? [[String: Any]]
        XCTAssertEqual(json?.count, 2)
        XCTAssertEqual(json?[0]["class"] as? String, "tabby, tabby cat")
        XCTAssertEqual(json?[1]["probability"] as? Double, 0.125)
    }

    func testSaveErrorsSayWhatAndWhere() {
        let unknown = failure("save(1, \"x.bmp\")")
        XCTAssertEqual(unknown?.message, "cannot tell the format of 'x.bmp'")
        XCTAssertEqual(unknown?.span?.start.column, 9)
        XCTAssertEqual(failure("save(\"text\", \"\(path("p.png"))\")")?.message, "string is not a picture and cannot be saved as .png")
        XCTAssertEqual(failure("save(1, \"/nonexistent-dir/x.npy\")")?.kind, .io)
    }
}

final class ReferenceDocumentTests: XCTestCase {
    func testDocsReferenceIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/reference.md")
        let expected = BuiltinRegistry.referenceMarkdown()
        if ProcessInfo.processInfo.environment["CONVLENS_UPDATE_REFERENCE"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try expected.write(to: url, atomically: true, encoding: .utf8)
        }
        let actual = try? String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(actual == expected, "docs/reference.md is stale: regenerate it with "
                      + "`convlens docs > docs/reference.md` (or CONVLENS_UPDATE_REFERENCE=1 swift test --filter ReferenceDocumentTests)")
    }

    func testEveryBuiltinIsDocumented() {
        for builtin in BuiltinRegistry.standard().all {
            XCTAssertFalse(builtin.summary.isEmpty, builtin.name)
            XCTAssertTrue(builtin.summary.hasSuffix("."), builtin.name)
            XCTAssertFalse(builtin.example.isEmpty, builtin.name)
            XCTAssertTrue(builtin.example.contains(builtin.name), "\(builtin.name)'s example should use it")
            for parameter in builtin.parameters { XCTAssertFalse(parameter.doc.isEmpty, "\(builtin.name).\(parameter.name)") }
        }
    }
}

/// A progress frame is drawn from the picture's device-resolution rendering, so a dashboard's
/// text stays sharp while it forms, not a 1x average doubled.
final class PictureCanvasTests: XCTestCase {
    func testADrawingKeepsItsDevicePixelsAndAPhotoIsUpsampled() throws {
        var drawing = Canvas(width: 40, height: 20)
        drawing.drawText("l2++", x: 2, y: 2)
        let picture = Picture(canvas: drawing, title: "text")
        let canvas = picture.canvas
        XCTAssertEqual(canvas.scale, drawing.scale)
        XCTAssertEqual(canvas.pixels, drawing.pixels, "the device pixels, not the 1x average upsampled")
        XCTAssertNotEqual(Canvas(image: picture.drawn).pixels, drawing.pixels, "the average loses the anti-aliased edges")

        let photo = Picture(image: try Image(width: 3, height: 2, channels: 3, pixels: (0..<18).map { Float($0) / 18 }), title: "photo")
        let upsampled = photo.canvas
        XCTAssertEqual([upsampled.width, upsampled.height], [3, 2])
        let corner = try XCTUnwrap(upsampled.color(x: 2, y: 1))
        XCTAssertEqual(corner.red, 15 / 18, accuracy: 1e-6)
        XCTAssertEqual(corner.blue, 17 / 18, accuracy: 1e-6)
    }
}
