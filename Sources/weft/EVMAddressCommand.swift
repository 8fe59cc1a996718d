import ArgumentParser
import Execution
import WeftCommandLine

/// `weft evm address`: the EVM address (CALLER) of an identity.
struct EVMAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Print the EVM address contracts see as CALLER for the identity.",
        discussion: "Example:\n  weft evm address --dir ./weft-net")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let gateway = try client.gateway()
        let address = try EVMChaincode.address(ofCertificate: gateway.identity.certificate.derRepresentation)
        if client.json { try JSONOutput.print(["address": address.description]) } else { print(address) }
    }
}
