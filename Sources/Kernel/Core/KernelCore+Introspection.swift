import Foundation

/// Handlers that answer questions without running a cell.
extension KernelCore {
    func kernelInfoReply() -> KernelInfoReply {
        KernelInfoReply(info: info)
    }

    func complete(_ request: CodeAtCursorRequest, message: WireMessage) {
        let result = interpreter.complete(request.code, cursor: request.cursorPos)
        var reply: [String: JSONValue] = [
            "status": "ok",
            "matches": .array(result.matches.map { .string($0) }),
            "cursor_start": .int(result.cursorStart),
            "cursor_end": .int(result.cursorEnd),
            "metadata": [:],
        ]
        if result.types.count == result.matches.count && !result.types.isEmpty {
            let typed = zip(result.matches, result.types).map { match, type -> JSONValue in
                ["text": .string(match), "type": .string(type),
                 "start": .int(result.cursorStart), "end": .int(result.cursorEnd)]
            }
            reply["metadata"] = ["_jupyter_types_experimental": .array(typed)]
        }
        outbox.reply(to: message, type: "complete_request", JSONValue.object(reply), on: .shell)
    }

    func inspect(_ request: CodeAtCursorRequest, message: WireMessage) {
        let bundle = interpreter.inspect(request.code, cursor: request.cursorPos, detailLevel: request.detailLevel)
        outbox.reply(to: message, type: "inspect_request",
                     ["status": "ok", "found": .bool(bundle != nil),
                      "data": bundle.map { Self.data($0) } ?? [:],
                      "metadata": JSONValue(any: bundle?.metadata ?? [:])] as JSONValue,
                     on: .shell)
    }

    func isComplete(_ request: IsCompleteRequest, message: WireMessage) {
        let content: JSONValue
        switch interpreter.isComplete(request.code) {
        case .complete: content = ["status": "complete"]
        case .incomplete(let indent): content = ["status": "incomplete", "indent": .string(indent)]
        case .invalid: content = ["status": "invalid"]
        case .unknown: content = ["status": "unknown"]
        }
        outbox.reply(to: message, type: "is_complete_request", content, on: .shell)
    }

    func answerHistory(_ request: HistoryRequest, message: WireMessage) {
        let entries: [HistoryEntry]
        switch request.accessType {
        case .tail: entries = history.tail(request.n ?? 10)
        case .range: entries = history.range(session: request.session, start: request.start, stop: request.stop)
        case .search: entries = history.search(pattern: request.pattern, limit: request.n, unique: request.unique)
        }
        // Rows are [session, line, input], or [session, line, [input, output]] when
        // outputs are asked for; outputs are not kept, so that slot is null.
        let rows: [JSONValue] = entries.map { entry in
            let input: JSONValue = request.output ? [.string(entry.source), .null] : .string(entry.source)
            return [.int(entry.session), .int(entry.line), input]
        }
        outbox.reply(to: message, type: "history_request", ["status": "ok", "history": .array(rows)] as JSONValue,
                     on: .shell)
    }
}
