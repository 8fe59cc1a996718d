import ArgumentParser

/// `weft chaincode commit`: commit a chaincode definition the organizations approved.
struct ChaincodeCommitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit", abstract: "Commit a chaincode definition once enough organizations approved it (an administrator's call).",
        discussion: """
        Endorsed at a peer of every organization; each checks the approvals in its state against the \
        channel's LifecycleEndorsement policy (default MAJORITY peer). Refused (exit 4) while the \
        approvals do not satisfy it — `weft chaincode checkcommitreadiness` shows which are missing. Once \
        committed, the chaincode's transactions need the new definition's policy from the next block on; \
        a transaction endorsed under the old definition is invalid (CHAINCODE_VERSION_CONFLICT, or \
        ENDORSEMENT_POLICY_FAILURE when its endorsements do not satisfy the new policy).

        Example:
          weft chaincode commit --dir ./weft-net --org Org1MSP --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')"
        """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var administrator: ChaincodeAdministrator
    @OptionGroup var definition: ChaincodeDefinitionOptions

    func run() async throws {
        try await LifecycleSubmission.run("commit", definition, as: administrator, client: client, endorsedByOwnOrganizationOnly: false)
    }
}
