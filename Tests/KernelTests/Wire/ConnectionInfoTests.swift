import Foundation
import XCTest
@testable import Kernel

final class ConnectionInfoTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("conn-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testParsesJupyterClientFileWithCurveKeys() throws {
        let path = try write("""
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha512",
             "kernel_name": "convlens", "curve_publickey": "pub", "curve_secretkey": "sec"}
            """)
        let info = try ConnectionInfo.load(path: path)
        XCTAssertEqual(info.endpoint(port: info.hbPort), "tcp://127.0.0.1:5005")
        XCTAssertEqual(info.signatureScheme, "hmac-sha512")
        XCTAssertTrue(info.usesCurve)
    }

    func testIPCEndpointsFollowJupyterClientNaming() {
        let info = ConnectionInfo(transport: "ipc", ip: "/tmp/kernel", shellPort: 1, iopubPort: 2, stdinPort: 3,
                                  controlPort: 4, hbPort: 5, key: "")
        XCTAssertEqual(info.endpoint(port: 3), "ipc:///tmp/kernel-3")
        XCTAssertFalse(info.usesCurve)
    }

    func testMissingPortIsReportedWithTheFileName() throws {
        let path = try write(#"{"shell_port": 1}"#)
        XCTAssertThrowsError(try ConnectionInfo.load(path: path)) { error in
            XCTAssertTrue(String(describing: error).contains(path))
            XCTAssertTrue(String(describing: error).contains("iopub_port"))
        }
        XCTAssertThrowsError(try ConnectionInfo.load(path: "/nonexistent/conn.json"))
    }
}
