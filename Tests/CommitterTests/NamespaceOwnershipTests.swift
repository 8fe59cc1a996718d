@testable import Committer
import Testing

/// A chaincode writes its own namespace and `<name>:*` sub-namespaces, compared by bytes as state
/// stores namespaces: a canonically equivalent spelling of its name is another chaincode's namespace.
@Suite struct NamespaceOwnershipTests {
    @Test func ownsItsNamespaceAndSubNamespaces() {
        #expect(TransactionCheck.owns("evm", namespace: "evm"))
        #expect(TransactionCheck.owns("evm", namespace: "evm:0xab"))
        #expect(!TransactionCheck.owns("evm", namespace: "evmx"))
    }

    @Test func equivalentSpellingIsAnotherNamespace() {
        #expect(!TransactionCheck.owns("caf\u{E9}", namespace: "cafe\u{301}"))
        #expect(!TransactionCheck.owns("caf\u{E9}", namespace: "cafe\u{301}:sub"))
        #expect(!TransactionCheck.owns("cafe\u{301}", namespace: "caf\u{E9}"))
    }
}
