/// Content of comm_open from a front end; only the id and target are read.
public struct CommOpenRequest: Decodable, Sendable {
    public var commID: String
    public var targetName: String

    enum CodingKeys: String, CodingKey {
        case commID = "comm_id", targetName = "target_name"
    }
}
