import Foundation

/// The header every Jupyter message carries; replies quote the request's as their parent.
public struct MessageHeader: Codable, Equatable, Sendable {
    /// The protocol version this kernel stamps on what it sends.
    public static let protocolVersion = "5.4"

    public var msgID: String
    public var session: String
    public var username: String
    public var date: String
    public var msgType: String
    public var version: String

    enum CodingKeys: String, CodingKey {
        case msgID = "msg_id", session, username, date, msgType = "msg_type", version
    }

    public init(msgID: String = UUID().uuidString.lowercased(), session: String, username: String = "convlens",
                date: String = Timestamp.now(), msgType: String, version: String = MessageHeader.protocolVersion) {
        self.msgID = msgID
        self.session = session
        self.username = username
        self.date = date
        self.msgType = msgType
        self.version = version
    }

    /// Lenient decoding: a front end that leaves out fields we never read is still answered.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        msgType = try container.decode(String.self, forKey: .msgType)
        msgID = try container.decodeIfPresent(String.self, forKey: .msgID) ?? ""
        session = try container.decodeIfPresent(String.self, forKey: .session) ?? ""
        username = try container.decodeIfPresent(String.self, forKey: .username) ?? ""
        date = (try? container.decodeIfPresent(String.self, forKey: .date)) ?? ""
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? MessageHeader.protocolVersion
    }
}
