/// Content of kernel_info_reply.
public struct KernelInfoReply: Encodable, Sendable {
    public struct LanguageInfo: Encodable, Sendable {
        var name: String
        var version: String
        var mimetype: String
        var fileExtension: String
        var pygmentsLexer: String
        var codemirrorMode: String
        var nbconvertExporter = "script"

        enum CodingKeys: String, CodingKey {
            case name, version, mimetype, fileExtension = "file_extension", pygmentsLexer = "pygments_lexer"
            case codemirrorMode = "codemirror_mode", nbconvertExporter = "nbconvert_exporter"
        }
    }

    public struct HelpLink: Encodable, Sendable {
        var text: String
        var url: String
    }

    var status = "ok"
    var protocolVersion = MessageHeader.protocolVersion
    var implementation: String
    var implementationVersion: String
    var languageInfo: LanguageInfo
    var banner: String
    var helpLinks: [HelpLink]
    var debugger = false

    enum CodingKeys: String, CodingKey {
        case status, protocolVersion = "protocol_version", implementation
        case implementationVersion = "implementation_version", languageInfo = "language_info"
        case banner, helpLinks = "help_links", debugger
    }

    public init(info: InterpreterInfo) {
        implementation = info.implementation
        implementationVersion = info.implementationVersion
        languageInfo = LanguageInfo(name: info.languageName, version: info.languageVersion, mimetype: info.mimetype,
                                    fileExtension: info.fileExtension, pygmentsLexer: info.pygmentsLexer,
                                    codemirrorMode: info.codemirrorMode)
        banner = info.banner
        helpLinks = info.helpLinks.map { HelpLink(text: $0.text, url: $0.url) }
    }
}
