import Identity
import WeftCore
import WeftCrypto

extension ConfigTransaction {
    /// A configuration entry for `config`, signed by `signers` (administrators of member organizations).
    public init(config: ChannelConfig, signers: [SigningIdentity] = []) throws(CryptoError) {
        let bytes = config.canonicalBytes
        var signatures: [BlockSignature] = []
        for signer in signers {
            signatures.append(BlockSignature(signer: signer.serialized, signature: try signer.signature(for: bytes)))
        }
        self.init(configBytes: bytes, signatures: signatures)
    }

}

extension ConfigTransaction {
    /// Adds `signer`'s signature over the configuration bytes, replacing an earlier signature of the
    /// same certificate (signing twice counts once).
    public mutating func sign(by signer: SigningIdentity) throws(CryptoError) {
        let signature = BlockSignature(signer: signer.serialized, signature: try signer.signature(for: configBytes))
        signatures.removeAll { $0.signer == signature.signer }
        signatures.append(signature)
    }
}
