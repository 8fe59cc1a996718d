import NIOCore
@testable import Operations
import Testing

/// The read deadline state machine and the connection cap's bookkeeping, without sockets.
struct ReadDeadlineTests {
    let request = TimeAmount.seconds(10)
    let idle = TimeAmount.seconds(60)

    @Test func bytesDoNotPushTheRequestDeadlineBack() {
        var deadline = ReadDeadline(requestTimeout: request, idleTimeout: idle)
        #expect(deadline.accepted() == .arm(after: request))
        for _ in 0..<5 { #expect(deadline.bytesRead() == .none) }
        #expect(deadline.timerFired() == .request(request))
    }

    @Test func aRequestIsAnsweredWithoutADeadlineThenTheConnectionIdles() {
        var deadline = ReadDeadline(requestTimeout: request, idleTimeout: idle)
        _ = deadline.accepted()
        #expect(deadline.requestRead() == .disarm)
        #expect(deadline.responseWritten() == .arm(after: idle))
        #expect(deadline.timerFired() == .idle(idle))
        #expect(deadline.bytesRead() == .arm(after: request))  // the next request's first byte
        #expect(deadline.bytesRead() == .none)
        #expect(deadline.timerFired() == .request(request))
    }

    @Test func bytesOfAPipelinedRequestStartItsDeadlineWhenTheResponseIsWritten() {
        var deadline = ReadDeadline(requestTimeout: request, idleTimeout: idle)
        _ = deadline.accepted()
        _ = deadline.requestRead()
        #expect(deadline.bytesRead() == .none)
        #expect(deadline.responseWritten() == .arm(after: request))
    }

    @Test func theCapRefusesOverTheLimitAndReportsEachBurstOnce() {
        let admission = ConnectionAdmission(limit: 2)
        #expect(admission.admit().decision == .admitted)
        #expect(admission.admit().decision == .admitted)
        #expect(admission.admit().decision == .refused(firstOfBurst: true))
        #expect(admission.admit().decision == .refused(firstOfBurst: false))
        admission.release()
        let next = admission.admit()
        #expect(next.decision == .admitted)
        #expect(next.endedBurstOf == 2)
        #expect(admission.admit().decision == .refused(firstOfBurst: true))  // a new burst
        #expect(admission.open == 2)
    }
}
