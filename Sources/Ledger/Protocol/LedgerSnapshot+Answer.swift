import WeftCore

extension LedgerSnapshot {
    /// Answers a client's ledger query from this snapshot. Page sizes are capped by the ledger's
    /// configured maximum; an empty bookmark starts at the beginning.
    /// - Parameter budget: stops a rich query when spent or cancelled (the caller went away).
    public func answer(_ query: LedgerQuery, budget: QueryBudget? = nil) throws(LedgerError) -> LedgerQueryResult {
        switch query {
        case .info:
            return .info(chainInfo)
        case .block(let number):
            return .block(try block(number: number))
        case .blockByHash(let hash):
            return .block(try block(hash: hash))
        case .transaction(let txID):
            return .transaction(try transaction(txID: txID))
        case let .state(namespace, key):
            return .value(try value(namespace: namespace, key: key))
        case let .range(namespace, start, end, pageSize, bookmark):
            let page = try range(namespace: namespace, startKey: start, endKey: end, pageSize: Int(pageSize),
                                 bookmark: bookmark.isEmpty ? nil : bookmark)
            return .entries(page.entries, bookmark: page.bookmark ?? "")
        case let .history(namespace, key, newestFirst, pageSize, bookmark):
            let page = try history(namespace: namespace, key: key, order: newestFirst ? .newestFirst : .oldestFirst,
                                   pageSize: Int(pageSize), bookmark: bookmark.isEmpty ? nil : bookmark)
            return .history(page.entries, bookmark: page.bookmark ?? "", prunedBelow: page.prunedBelow)
        case let .rich(namespace, selector):
            return .entries(try richQuery(namespace: namespace, try RichQuery(json: selector),
                                          budget: budget ?? QueryBudget(seconds: Self.richQueryBudgetSeconds)), bookmark: "")
        case .proof(let txID):
            return .proof(try inclusionProof(txID: txID))
        }
    }
}
