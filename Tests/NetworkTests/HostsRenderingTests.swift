import Foundation
import Testing

/// One description of a network, three ways to run it: the hosts file `Network/test-hosts.sh` and
/// `weft network init --hosts` read also gives the Kubernetes rendering its shape.
@Suite struct HostsRenderingTests {
    static let hasPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    static let composeShape = """
        orderer0.orderer: {host: dc1, address: 10.0.1.11}
        orderer1.orderer: {host: dc2, address: 10.0.2.11}
        orderer2.orderer: {host: dc3, address: 10.0.3.11}
        peer0.org1: {host: dc1, address: 10.0.1.11}
        peer1.org1: {host: dc1, address: 10.0.1.11}
        peer0.org2: {host: dc2, address: 10.0.2.11}
        peer1.org2: {host: dc2, address: 10.0.2.11}
        """

    private func render(_ hosts: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("weft-render-hosts-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try hosts.write(to: file, atomically: true, encoding: .utf8)
        let render = Process()
        render.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        render.arguments = [KubernetesConfigTests.root.appendingPathComponent("Network/render-node-configs.py").path, "k8s", "--hosts", file.path]
        let output = Pipe()
        let errors = Pipe()
        render.standardOutput = output
        render.standardError = errors
        try render.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        render.waitUntilExit()
        return (render.terminationStatus, text, problems)
    }

    @Test(.enabled(if: hasPython, "needs python3"))
    func theHostsFileOfTheComposeShapeRendersTheCommittedConfigMap() throws {
        let rendered = try render(Self.composeShape)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stdout == (try String(contentsOf: KubernetesConfigTests.configMap, encoding: .utf8)))
    }

    @Test(.enabled(if: hasPython, "needs python3"))
    func anUnknownNodeIsRefused() throws {
        let rendered = try render(Self.composeShape + "\ngateway: {host: dc9, address: 10.0.9.1}\n")
        #expect(rendered.status != 0)
        #expect(rendered.stderr.contains("unknown node 'gateway'"), "\(rendered.stderr)")
    }
}
