import Foundation

/// The connection file a front end writes before starting the kernel:
/// where to bind each socket, how to sign, and optionally CurveZMQ keys.
public struct ConnectionInfo: Decodable, Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String
    /// Z85 keys as jupyter_client (8.x) writes them; when both are present every
    /// socket becomes a CurveZMQ server with this key pair.
    public var curvePublicKey: String?
    public var curveSecretKey: String?

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port", signatureScheme = "signature_scheme"
        case curvePublicKey = "curve_publickey", curveSecretKey = "curve_secretkey"
    }

    public init(transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int, iopubPort: Int,
                stdinPort: Int, controlPort: Int, hbPort: Int, key: String,
                signatureScheme: String = "hmac-sha256", curvePublicKey: String? = nil, curveSecretKey: String? = nil) {
        self.transport = transport
        self.ip = ip
        self.shellPort = shellPort
        self.iopubPort = iopubPort
        self.stdinPort = stdinPort
        self.controlPort = controlPort
        self.hbPort = hbPort
        self.key = key
        self.signatureScheme = signatureScheme
        self.curvePublicKey = curvePublicKey
        self.curveSecretKey = curveSecretKey
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        transport = try container.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? "127.0.0.1"
        shellPort = try container.decode(Int.self, forKey: .shellPort)
        iopubPort = try container.decode(Int.self, forKey: .iopubPort)
        stdinPort = try container.decode(Int.self, forKey: .stdinPort)
        controlPort = try container.decode(Int.self, forKey: .controlPort)
        hbPort = try container.decode(Int.self, forKey: .hbPort)
        key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        signatureScheme = try container.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
        curvePublicKey = try container.decodeIfPresent(String.self, forKey: .curvePublicKey)
        curveSecretKey = try container.decodeIfPresent(String.self, forKey: .curveSecretKey)
    }

    /// Reads and parses a connection file, with an error that names the file.
    public static func load(path: String) throws -> ConnectionInfo {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConnectionError.unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            let info = try JSONDecoder().decode(ConnectionInfo.self, from: data)
            guard info.transport == "tcp" || info.transport == "ipc" else {
                throw ConnectionError.invalid(path: path, reason: "transport '\(info.transport)' is not tcp or ipc")
            }
            return info
        } catch let error as ConnectionError {
            throw error
        } catch {
            throw ConnectionError.invalid(path: path, reason: String(describing: error))
        }
    }

    /// The ZeroMQ endpoint for `port`: `tcp://ip:port`, or `ipc://ip-port` as jupyter_client names ipc files.
    public func endpoint(port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }

    public var usesCurve: Bool {
        (curvePublicKey?.isEmpty == false) && (curveSecretKey?.isEmpty == false)
    }
}
