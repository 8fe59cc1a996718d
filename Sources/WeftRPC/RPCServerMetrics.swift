import CoreMetrics
import NIOConcurrencyHelpers
import Wire

/// An RPC server's metrics (names in docs/operations.md): calls by route and status, unary latency by
/// route, authenticated connections by organization and role, handshake failures by reason, open
/// streams by route.
///
/// Made through swift-metrics when the server starts, so they are no-ops unless the process
/// bootstrapped a backend first. The objects of the routes the server serves (their `ok` counters
/// included) are made up front and read without a lock; those of a (route, error) pair or an
/// (organization, role) pair on first use, then looked up in a dictionary under a lock — no metric is
/// made, and no label formatted, per call.
final class RPCServerMetrics: Sendable {
    /// Why a connection ended before it was authenticated (the `reason` label).
    enum HandshakeFailure: String, CaseIterable, Sendable {
        /// The authorizer refused the client's certificate.
        case certificateRefused = "certificate_refused"
        /// TLS failed: no certificate, a wrong protocol, plaintext, a reset mid-handshake.
        case tlsError = "tls_error"
        /// No handshake within `handshakeTimeout`.
        case timeout
        /// Closed at accept: the server held `maximumConnections`.
        case serverFull = "server_full"
        /// Closed at accept: the server is shutting down.
        case draining
        /// Closed to make room: its address had `maximumHandshakesPerAddress` handshakes in progress.
        case evicted
    }

    static let requestsName = "weft_rpc_requests_total"
    static let durationName = "weft_rpc_request_duration_seconds"
    static let connectionsName = "weft_rpc_connections"
    static let handshakeFailuresName = "weft_rpc_handshake_failures_total"
    static let streamsName = "weft_rpc_streams"

    private let handshakeFailures: [HandshakeFailure: Counter]
    /// The `ok` counter of each served route: the common case needs no lock.
    private let succeeded: [UInt16: Counter]
    private let durations: [UInt16: CoreMetrics.Timer]
    private let streams: [UInt16: Meter]
    private let requests = NIOLockedValueBox<[UInt32: Counter]>([:])
    private let connections = NIOLockedValueBox<[Pair: Meter]>([:])

    private struct Pair: Hashable {
        let org: String
        let role: String
    }

    init(routes: RPCRoutes) {
        handshakeFailures = Dictionary(uniqueKeysWithValues: HandshakeFailure.allCases.map {
            ($0, Counter(label: Self.handshakeFailuresName, dimensions: [("reason", $0.rawValue)]))
        })
        var durations: [UInt16: CoreMetrics.Timer] = [:]
        var streams: [UInt16: Meter] = [:]
        var succeeded: [UInt16: Counter] = [:]
        for (code, entry) in routes.entries {
            let route = [("route", Self.routeName(code))]
            succeeded[code] = Counter(label: Self.requestsName, dimensions: route + [("status", Self.statusName(nil))])
            switch entry.route {
            case .unary: durations[code] = CoreMetrics.Timer(label: Self.durationName, dimensions: route)
            case .stream: streams[code] = Meter(label: Self.streamsName, dimensions: route)
            }
        }
        self.durations = durations
        self.streams = streams
        self.succeeded = succeeded
    }

    /// The `route` label of a message type code.
    static func routeName(_ code: UInt16) -> String {
        MessageType(rawValue: code)?.description ?? "unknown"
    }

    /// The `status` label of an outcome: `ok`, or the error code's name with underscores.
    static func statusName(_ code: RPCError.Code?) -> String {
        guard let code else { return "ok" }
        return String(code.description.map { $0 == " " ? "_" : $0 })
    }

    /// One call answered on `route` (`code` nil: success).
    func requestEnded(route: UInt16, code: RPCError.Code?) {
        if code == nil, let counter = succeeded[route] {
            counter.increment()
            return
        }
        // Unknown message types share one key, so a client cannot grow the table.
        let route = MessageType(rawValue: route) == nil ? 0 : route
        let key = UInt32(route) << 16 | UInt32(code?.rawValue ?? 0)
        let counter = requests.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: Self.requestsName, dimensions: [
                ("route", Self.routeName(route)), ("status", Self.statusName(code)),
            ])
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// One unary call on `route` took `nanoseconds` from its arrival to its answer.
    func recordDuration(route: UInt16, nanoseconds: Int64) {
        durations[route]?.recordNanoseconds(nanoseconds)
    }

    /// A stream on `route` opened (`delta` 1) or ended (-1).
    func streamChanged(route: UInt16, by delta: Int) {
        guard let meter = streams[route] else { return }
        if delta > 0 { meter.increment() } else { meter.decrement() }
    }

    /// The meter of authenticated connections of `org` with `role` (increment on open, decrement on close).
    func connections(org: String, role: String) -> Meter {
        let pair = Pair(org: org, role: role)
        return connections.withLockedValue { meters in
            if let meter = meters[pair] { return meter }
            let meter = Meter(label: Self.connectionsName, dimensions: [("org", org), ("role", role)])
            meters[pair] = meter
            return meter
        }
    }

    /// A connection ended before it was authenticated.
    func handshakeFailed(_ reason: HandshakeFailure) {
        handshakeFailures[reason]?.increment()
    }
}
