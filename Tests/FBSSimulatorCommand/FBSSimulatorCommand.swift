import ArgumentParser
import FBSSimulator
import Foundation
import Logging
import ServiceLifecycle

/// `fbs-simulator --data FILE [--port N] [--port-file FILE]`: the FBS stand-in as a
/// process of its own, for scripts that run the bridge against it across SIGKILLs. Prints
/// `listening on http://127.0.0.1:PORT/rest` once it listens, writes the port to
/// `--port-file` if given, and stops on SIGTERM or SIGINT. Control it over HTTP under
/// `/_simulator/` (see FBSSimulatorControl).
@main
struct FBSSimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fbs-simulator",
                                                    abstract: "An FBS stand-in on 127.0.0.1 for tests (not part of the product).")

    @Option(help: "A JSON file with the agency, the client login and the patrons with their fees.")
    var data: String

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "Write the chosen port to this file once listening.")
    var portFile: String?

    @Option(help: "How long a request that gets no answer (noAnswer, answerLost) is held, in seconds.")
    var holdSeconds: Int = 60

    func run() async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: data))
        let state = FBSSimulatorState(data: try JSONDecoder().decode(FBSSimulatorData.self, from: bytes))
        let logger = Logger(label: "fbs-simulator")
        let portFile = self.portFile
        let app = FBSSimulator.application(state: state, port: port, holdLimit: .seconds(holdSeconds), logger: logger) { channel in
            let port = channel.localAddress?.port ?? 0
            FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(port)/rest\n".utf8))
            if let portFile { try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: ReleasingService(app: app, state: state))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs the application and, when the process is told to stop, ends held requests first
/// so that the server can shut down at once.
struct ReleasingService<App: Service>: Service {
    let app: App
    let state: FBSSimulatorState

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await app.run()
        } onGracefulShutdown: {
            state.release()
        }
    }
}
