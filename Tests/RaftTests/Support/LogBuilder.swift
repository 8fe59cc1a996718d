import Raft

/// Builds persisted state for transcript tests: a log given by the term of each entry from index 1.
enum LogBuilder {
    static func state(terms: [UInt64], term: UInt64, commit: UInt64 = 0) -> PersistedState {
        let entries = terms.enumerated().map { offset, entryTerm in
            Entry(term: entryTerm, index: UInt64(offset + 1), data: Array("e\(offset + 1)".utf8))
        }
        return PersistedState(hardState: HardState(term: term, vote: nil, commit: commit), entries: entries)
    }
}
