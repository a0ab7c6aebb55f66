import Foundation
import XCTest
@testable import Kernel

final class HistoryStoreTests: XCTestCase {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)/history.jsonl")
    }

    func testHistorySurvivesARestartAsANewSession() {
        let file = temporaryFile()
        let first = HistoryStore(fileURL: file)
        XCTAssertEqual(first.session, 1)
        first.append(line: 1, source: "x = 5")
        first.append(line: 2, source: "1+2")
        let second = HistoryStore(fileURL: file)
        XCTAssertEqual(second.session, 2)
        XCTAssertEqual(second.entries, [HistoryEntry(session: 1, line: 1, source: "x = 5"),
                                        HistoryEntry(session: 1, line: 2, source: "1+2")])
        second.append(line: 1, source: "y")
        XCTAssertEqual(second.tail(2).map(\.source), ["1+2", "y"])
        XCTAssertEqual(second.range(session: -1, start: 2, stop: nil).map(\.source), ["1+2"])
        XCTAssertEqual(second.range(session: 0, start: 0, stop: nil).map(\.source), ["y"])
        XCTAssertEqual(second.range(session: 1, start: 1, stop: 2).map(\.source), ["x = 5"])
    }

    func testGlobSearchWithLimitAndUnique() {
        let store = HistoryStore(fileURL: nil)
        for (line, source) in ["1+2", "x", "1+2", "1-2 * 3", "1+2"].enumerated() {
            store.append(line: line + 1, source: source)
        }
        XCTAssertEqual(store.search(pattern: "1?2*", limit: nil, unique: false).map(\.line), [1, 3, 4, 5])
        XCTAssertEqual(store.search(pattern: "1?2*", limit: 2, unique: false).map(\.line), [4, 5])
        XCTAssertEqual(store.search(pattern: "1?2*", limit: nil, unique: true).map(\.line), [4, 5])
        XCTAssertEqual(store.search(pattern: "1 + 2", limit: nil, unique: false), [])
    }

    func testCorruptLinesAreSkipped() throws {
        let file = temporaryFile()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("garbage\n{\"session\":4,\"line\":1,\"source\":\"a\"}\n".utf8).write(to: file)
        let store = HistoryStore(fileURL: file)
        XCTAssertEqual(store.entries.count, 1)
        XCTAssertEqual(store.session, 5)
    }

    func testDefaultLocationFollowsJupyterDataDir() {
        XCTAssertEqual(HistoryStore.defaultFileURL(environment: ["JUPYTER_DATA_DIR": "/data/j"]).path,
                       "/data/j/convlens/history.jsonl")
    }

    func testDataDirectoryFollowsJupyterCoreOrder() {
        XCTAssertEqual(JupyterDataDirectory.user(environment: ["JUPYTER_DATA_DIR": "/data/j", "XDG_DATA_HOME": "/x", "HOME": "/h"]).path,
                       "/data/j")
        XCTAssertEqual(JupyterDataDirectory.user(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).path, "/x/jupyter")
        // HOME wins over the account's home from the password database (JupyterHub, containers).
        XCTAssertEqual(JupyterDataDirectory.user(environment: ["HOME": "/home/student7"]).path,
                       "/home/student7/.local/share/jupyter")
        XCTAssertEqual(HistoryStore.defaultFileURL(environment: ["HOME": "/home/student7"]).path,
                       "/home/student7/.local/share/jupyter/convlens/history.jsonl")
    }
}
