import ArgumentParser

/// `weft crypto <verb>`: crypto material of a network.
struct CryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Create the crypto material (CAs, keys, certificates) of a network, and renew TLS certificates.",
        discussion: """
        Examples:
          weft crypto generate --orgs 2 --peers 2 --orderers 3 --users 1 --out ./crypto
          weft crypto renew --dir ./crypto --node peer0.org1
          weft crypto issue --dir ./crypto --org OrdererMSP --name orderer3.orderer
        """,
        subcommands: [
            CryptoGenerateCommand.self,
            CryptoRenewCommand.self,
            CryptoIssueCommand.self,
        ]
    )
}
