import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft keygen`: writes a fresh ECDSA P-256 key pair.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new ECDSA P-256 key pair: PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub (SPKI PEM).",
        discussion: """
        Refuses to replace existing files unless --force is given.

        Example:
          weft keygen --out ./keys/alice
        """
    )

    @Option(help: ArgumentHelp("Path prefix of the two files to write.", valueName: "PREFIX"))
    var out: String

    @Flag(help: "Replace PREFIX.key and PREFIX.pub if they exist.")
    var force = false

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// What `--json` prints.
    struct Report: Encodable {
        let privateKey: String
        let publicKey: String
        let publicKeyPoint: String
    }

    func run() throws {
        let privatePath = out + ".key"
        let publicPath = out + ".pub"
        if !force {
            for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
                throw CLIFailure(.usage, "\(path) already exists; choose another --out or add --force to replace it")
            }
        }
        do {
            let key = try P256SigningKey()
            try KeyFileWriter.write(try key.pemRepresentation(), to: privatePath, mode: 0o600)
            try KeyFileWriter.write(key.publicKey.pemRepresentation, to: publicPath, mode: 0o644)
            let report = Report(privateKey: privatePath, publicKey: publicPath,
                                publicKeyPoint: Hex.encode(key.publicKey.uncompressedPoint))
            if json {
                try JSONOutput.print(report)
            } else {
                print("wrote \(privatePath) (private key, mode 0600)")
                print("wrote \(publicPath) (public key)")
            }
        } catch let error as CryptoError {
            throw CLIFailure(.other, "could not create the key pair: \(error)")
        }
    }
}
