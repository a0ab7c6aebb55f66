import Foundation

extension KernelCore {
    /// Runs one cell: execute_input, the cell's outputs, execute_result or error,
    /// then execute_reply. The caller already sent busy and sends idle after.
    func execute(_ request: ExecuteRequest, message: WireMessage) {
        cancellation.reset()
        // Only cells stored in history advance the count; silent ones never are.
        if request.storeHistory { executionCount += 1 }
        let count = executionCount
        if !request.silent {
            outbox.send("execute_input", ["code": .string(request.code), "execution_count": .int(count)] as JSONValue,
                        parent: message, on: .iopub)
        }
        let context = CellContext(outbox: outbox, request: message, executionCount: count,
                                  allowStdin: request.allowStdin, silent: request.silent, cancellation: cancellation)
        comms.setCellParent(message)
        let outcome = interpreter.execute(request.code, context: context)
        comms.setCellParent(nil)
        if request.storeHistory { history.append(line: count, source: request.code) }

        switch outcome {
        case .success(let result, let pager):
            if let result, !request.silent {
                outbox.send("execute_result",
                            ["execution_count": .int(count), "data": Self.data(result),
                             "metadata": JSONValue(any: result.metadata)] as JSONValue,
                            parent: message, on: .iopub)
            }
            var payload: [JSONValue] = []
            if let pager {
                payload.append(["source": "page", "data": Self.data(pager), "start": 0])
            }
            outbox.reply(to: message, type: "execute_request",
                         ["status": "ok", "execution_count": .int(count), "payload": .array(payload),
                          "user_expressions": evaluate(request.userExpressions)] as JSONValue,
                         on: .shell)
        case .failure(let name, let value, let traceback):
            if !request.silent {
                outbox.send("error", ["ename": .string(name), "evalue": .string(value),
                                      "traceback": .array(traceback.map { .string($0) })] as JSONValue,
                            parent: message, on: .iopub)
            }
            // Requests that queued up behind the failing cell are set aside before
            // its reply goes out; `handle` answers their executes with "aborted".
            if request.stopOnError {
                deferred.append(contentsOf: outbox.transport.drainShell())
            }
            outbox.reply(to: message, type: "execute_request",
                         ["status": "error", "execution_count": .int(count), "ename": .string(name),
                          "evalue": .string(value), "traceback": .array(traceback.map { .string($0) }),
                          "user_expressions": evaluate(request.userExpressions)] as JSONValue,
                         on: .shell)
        }
    }

    /// user_expressions: each name maps to a display bundle or an error, as the spec lays out.
    func evaluate(_ expressions: [String: String]) -> JSONValue {
        var results: [String: JSONValue] = [:]
        for (name, expression) in expressions {
            switch interpreter.evaluateExpression(expression) {
            case .value(let bundle):
                results[name] = ["status": "ok", "data": Self.data(bundle), "metadata": JSONValue(any: bundle.metadata)]
            case .failure(let ename, let evalue, let traceback):
                results[name] = ["status": "error", "ename": .string(ename), "evalue": .string(evalue),
                                 "traceback": .array(traceback.map { .string($0) })]
            }
        }
        return .object(results)
    }

    /// A bundle's data for the wire: JSON mimetypes (`application/json`, `...+json`, such as a
    /// widget view) are embedded as JSON, as the display_data spec wants; the rest stay strings.
    static func data(_ bundle: MimeBundle) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: bundle.data.map { type, text in
            guard type == "application/json" || type.hasSuffix("+json"),
                  let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                return (type, JSONValue.string(text))
            }
            return (type, parsed)
        }))
    }
}
