import NIOConcurrencyHelpers
import NIOCore
import Testing
import WeftCore
@testable import WeftRPC
import Wire

@Suite struct StreamTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func itemsArriveInOrderAndTheStreamEnds() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            var received: [UInt64] = []
            for try await item in client.stream(.deliver, UInt32(500).canonicalBytes) {
                received.append(try UInt64(canonicalBytes: item))
            }
            #expect(received == Array(0..<500))
            #expect(client.callsInFlight == 0)
            await client.close()
        }
    }

    @Test func concurrentStreamsAndCallsShareOneConnection() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var count = 0
                        for try await _ in client.stream(.deliver, UInt32(300).canonicalBytes) { count += 1 }
                        #expect(count == 300)
                    }
                    group.addTask {
                        for index in 0..<20 {
                            let response = try await client.call(.evaluate, [UInt8(index)])
                            #expect(response == [UInt8(index)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    @Test func handlerErrorEndsTheStreamAfterItsItems() async throws {
        var routes = RPCRoutes()
        routes.serverStream(.deliver, allowed: .anyMember) { _, _, writer in
            try await writer.send([1])
            try await writer.send([2])
            throw RPCError(.badRequest, "block 3 is not available")
        }
        try await withServer(network, routes: routes) { server in
            let client = try await network.connect(to: server)
            var items: [[UInt8]] = []
            let error = await rpcError {
                for try await item in client.stream(.deliver, []) { items.append(item) }
            }
            #expect(items == [[1], [2]])
            #expect(error == RPCError(.badRequest, "block 3 is not available"))
            await client.close()
        }
    }

    @Test func slowConsumerHoldsBackTheServer() async throws {
        let sent = NIOLockedValueBox(0)
        var routes = RPCRoutes()
        routes.serverStream(.deliver, allowed: .anyMember) { _, _, writer in
            for _ in 0..<1000 {
                try await writer.send(Array(repeating: 0xAB, count: 1000))
                sent.withLockedValue { $0 += 1 }
            }
        }
        try await withServer(network, routes: routes) { server in
            // A 16 KiB window: the server may run at most about 16 items ahead of the consumer.
            let client = try await network.connect(to: server, configuration: RPCClientConfiguration(handshakeTimeout: .seconds(60), streamWindow: 16 << 10))
            var iterator = client.stream(.deliver, []).makeAsyncIterator()
            #expect(try await iterator.next()?.count == 1000)
            try await Task.sleep(for: .milliseconds(300))
            let ahead = sent.withLockedValue { $0 }
            #expect(ahead <= 20, "the server ran \(ahead) items ahead of a consumer that took one")
            var consumed = 1
            while try await iterator.next() != nil { consumed += 1 }
            #expect(consumed == 1000 && sent.withLockedValue { $0 } == 1000)
            await client.close()
        }
    }

    @Test func consumerCancellationStopsTheHandler() async throws {
        let stopped = AsyncSignal()
        var routes = RPCRoutes()
        routes.serverStream(.deliver, allowed: .anyMember) { _, _, writer in
            do {
                while true { try await writer.send([7]) }
            } catch {
                await stopped.fire()
                throw error
            }
        }
        try await withServer(network, routes: routes) { server in
            let client = try await network.connect(to: server)
            var count = 0
            for try await _ in client.stream(.deliver, []) {
                count += 1
                if count == 10 { break }
            }
            // Leaving the loop drops the sequence, which cancels the stream on the server.
            #expect(await stopped.wait(upTo: .seconds(30)))
            #expect(try await client.call(.ping, [1]) == [1])

            let task = Task {
                var seen = 0
                for try await _ in client.stream(.deliver, []) { seen += 1 }
                return seen
            }
            try await Task.sleep(for: .milliseconds(50))
            task.cancel()
            _ = try await task.value  // cancellation ends the sequence without an error
            #expect(client.callsInFlight == 0)
            await client.close()
        }
    }

    @Test func explicitCancel() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            let stream = client.stream(.deliver, UInt32(1_000_000).canonicalBytes)
            var iterator = stream.makeAsyncIterator()
            #expect(try await iterator.next() != nil)
            stream.cancel()
            var remaining = 0
            while try await iterator.next() != nil { remaining += 1 }
            #expect(remaining == 0)
            #expect(client.callsInFlight == 0)
            await client.close()
        }
    }

    @Test func mismatchedCallStyleIsReported() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            let unaryOnStream = await rpcError { try await client.call(.deliver, UInt32(3).canonicalBytes) }
            #expect(unaryOnStream?.code == .protocolViolation)
            let streamOnUnary = await rpcError {
                for try await _ in client.stream(.evaluate, [1]) {}
            }
            #expect(streamOnUnary?.code == .protocolViolation)
            #expect(try await client.call(.ping, [5]) == [5])
            await client.close()
        }
    }

    @Test func closedConnectionFailsTheStream() async throws {
        let server = try await network.startServer(routes: {
            var routes = RPCRoutes()
            routes.serverStream(.deliver, allowed: .anyMember) { _, _, writer in
                try await writer.send([1])
                try await Task.sleep(for: .seconds(30))
            }
            return routes
        }())
        let client = try await network.connect(to: server)
        var iterator = client.stream(.deliver, []).makeAsyncIterator()
        #expect(try await iterator.next() == [1])
        await server.shutdown(gracePeriod: .seconds(1))
        let error = await rpcError { try await iterator.next() }
        #expect(error?.code == .unavailable)
        await client.close()
    }
}
