import ArgumentParser
import Foundation
import Kernel

/// `convlens kernel -f CONNECTION_FILE`: what Jupyter runs (see the kernelspec's argv).
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run the ConvLens Jupyter kernel on the sockets a connection file names.")

    @Option(name: [.customShort("f"), .customLong("connection-file")],
            help: "The JSON connection file Jupyter wrote (ports, ip, key, signature scheme).")
    var connectionFile: String

    func run() throws {
        InterruptSignal.install()
        let connection = try ConnectionInfo.load(path: connectionFile)
        let server = try ZMQServer(connection: connection)
        let history = HistoryStore(fileURL: HistoryStore.defaultFileURL())
        let interpreter = LensInterpreter()
        let core = KernelCore(interpreter: interpreter, transport: server, history: history,
                              session: server.session)
        let widgets = WidgetBridge(comms: core.comms, widgets: interpreter.session.widgets)
        widgets.connect()
        server.run(core)
    }
}
