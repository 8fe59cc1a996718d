import ArgumentParser

/// `weft chaincode`: the chaincode lifecycle (docs/governance.md, "Chaincode lifecycle").
struct ChaincodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaincode",
        abstract: "Define chaincodes on a channel: approve, check readiness, commit, list.",
        discussion: """
        A chaincode runs on a channel once the channel defines it: its configuration's chaincodes are \
        defined at sequence 1; a new definition (version, endorsement policy) is approved by each \
        organization's administrator and committed once the approvals satisfy the channel's \
        LifecycleEndorsement policy (default MAJORITY peer). Its transactions then need the new policy \
        from the next block on.

        Example:
          weft chaincode approve --dir ./weft-net --org Org1MSP --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')"
          weft chaincode approve --dir ./weft-net --org Org2MSP --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')"
          weft chaincode checkcommitreadiness --dir ./weft-net --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')"
          weft chaincode commit --dir ./weft-net --org Org1MSP --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')"
          weft chaincode list --dir ./weft-net
        """,
        subcommands: [ChaincodeApproveCommand.self, ChaincodeReadinessCommand.self, ChaincodeCommitCommand.self, ChaincodeListCommand.self]
    )
}
