import Foundation
import XCTest
import Engine
@testable import Language

/// Every file a cell names is read with a bound: endless devices, FIFOs, folders and files over
/// their kind's limit are refused with an IOError naming the path, and nothing is lost.
final class FileBoundTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-bounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A sparse file of `bytes` bytes: its size is real to `stat`, but it costs no disk.
    private func sparseFile(_ name: String, bytes: Int) throws -> String {
        let path = folder.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(truncate(path, off_t(bytes)), 0)
        return path
    }

    private func fifo(_ name: String) -> String {
        let path = folder.appendingPathComponent(name).path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        return path
    }

    func testEndlessDevicesAreRefusedAndEarlierVariablesStay() {
        let session = Session()
        XCTAssertNil(run("x = 41 + 1", in: session).error)
        for code in ["image(\"/dev/zero\")", "image(\"/dev/urandom\")", "model(\"/dev/zero\")"] {
            let error = failure(code, in: session)
            XCTAssertEqual(error?.kind, .io, code)
            XCTAssertEqual(error?.message.contains("is a character device, not a regular file"), true, error?.message ?? code)
        }
        XCTAssertEqual(result("x", in: session), "42")
    }

    /// A FIFO would block the read until some other program writes; a folder has no bytes.
    func testFIFOsAndFoldersAreRefusedWithoutWaiting() {
        let pipe = fifo("photo.png")
        let started = Date()
        XCTAssertEqual(failure("image(\"\(pipe)\")")?.message, "\(pipe) is a FIFO (named pipe), not a regular file; only regular files are read")
        XCTAssertEqual(failure("model(\"\(pipe)\")")?.kind, .io)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "nothing waited for a writer")
        XCTAssertEqual(failure("image(\"\(folder.path)/\")")?.message, "\(folder.path)/ is a directory, not a regular file; only regular files are read")
    }

    /// Saving into a FIFO would block until a reader comes; into a folder it cannot work.
    func testSaveRefusesTargetsThatAreNotRegularFiles() {
        let pipe = fifo("out.png")
        let error = failure("save(image(\"chelsea\", size: 8), \"\(pipe)\")")
        XCTAssertEqual(error?.kind, .io)
        XCTAssertEqual(error?.message.contains("it is a FIFO (named pipe), not a regular file"), true, error?.message ?? "")
        // A missing folder is named as such, not blamed on the file.
        XCTAssertEqual(failure("save([1, 2], \"/no/such/folder/x.json\")")?.message,
                       "cannot write /no/such/folder/x.json: the folder /no/such/folder does not exist")
    }

    /// Each kind of file has its own limit, checked from the size before a byte is read.
    func testFilesOverTheirKindsLimitAreRefusedNamingTheLimit() throws {
        let photo = try sparseFile("huge.png", bytes: BoundedFile.Kind.image.limit + 1)
        XCTAssertEqual(failure("image(\"\(photo)\")")?.message, "\(photo) is 300 MB, over the 300 MB limit for image files")
        let weights = try sparseFile("huge.pth", bytes: 20_000_000_000)
        XCTAssertEqual(failure("model(\"\(weights)\")")?.message, "\(weights) is 20 GB, over the 1 GB limit for weights files")
    }

    func testMissingWeightFilesAreFileErrorsNamingThePath() {
        let error = failure("model(\"/no/such/file.pth\")")
        XCTAssertEqual(error?.kind, .io)
        XCTAssertEqual(error?.message, "no such file: /no/such/file.pth")
        // A bare name that is neither a network nor a file is still "no model".
        XCTAssertEqual(failure("model(\"resnet\")")?.message, "there is no model 'resnet'")
        // Aliases the engine accepts, model() accepts too.
        XCTAssertNil(run("a = model(\"lenet\")\nb = model(\"LeNet5\")").error)
    }
}
