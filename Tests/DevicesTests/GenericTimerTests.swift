import Testing
import SimCore
@testable import Devices

/// A DeviceEventScheduler whose time advances only when a test says so, like swift-nio's EmbeddedEventLoop.
final class ManualScheduler: DeviceEventScheduler {
    struct Pending { let token: UInt64; let event: DeviceEvent; let time: SimTime }
    private(set) var pending: [Pending] = []
    private(set) var cancelled: [UInt64] = []
    private var nextToken: UInt64 = 1

    func schedule(_ event: DeviceEvent, at time: SimTime) -> UInt64 {
        defer { nextToken += 1 }
        pending.append(Pending(token: nextToken, event: event, time: time))
        return nextToken
    }

    func cancel(_ token: UInt64) {
        cancelled.append(token)
        pending.removeAll { $0.token == token }
    }

    /// Fires, in time order, every event due at or before `time`, each at its own instant.
    func run(until time: SimTime, _ fire: (DeviceEvent, SimTime) -> Void) {
        while let next = pending.filter({ $0.time <= time }).min(by: { $0.time < $1.time }) {
            pending.removeAll { $0.token == next.token }
            fire(next.event, next.time)
        }
    }
}

/// An InterruptSink that records every level change.
final class RecordingSink: InterruptSink {
    struct Change: Equatable { let intid: Int; let core: Int?; let level: Bool }
    private(set) var changes: [Change] = []
    private(set) var ppi: [Int: [Int: Bool]] = [:]
    private(set) var spi: [Int: Bool] = [:]

    func setSPI(_ intid: Int, level: Bool) {
        changes.append(Change(intid: intid, core: nil, level: level))
        spi[intid] = level
    }
    func setPPI(_ intid: Int, core: Int, level: Bool) {
        changes.append(Change(intid: intid, core: core, level: level))
        ppi[core, default: [:]][intid] = level
    }
    func level(ppi intid: Int, core: Int) -> Bool { ppi[core]?[intid] ?? false }
}

@Suite struct GenericTimerTests {
    typealias R = GenericTimer.Register
    static let ppis: [GenericTimerKind: Int] = [.physical: 30, .virtual: 27, .hypervisor: 26, .securePhysical: 29]

    let scheduler = ManualScheduler()
    let sink = RecordingSink()

    func makeTimer(cores: Int = 1, hz: UInt64 = 62_500_000) -> GenericTimer {
        GenericTimer(cores: cores, counterHz: hz, scheduler: scheduler, interrupts: sink, ppis: Self.ppis)
    }

    @discardableResult
    func write(_ t: GenericTimer, _ reg: UInt16, _ value: UInt64, core: Int = 0, at now: SimTime) -> Bool {
        t.writeSystemRegister(reg, core: core, value: value, now: now)
    }

    func read(_ t: GenericTimer, _ reg: UInt16, core: Int = 0, at now: SimTime) -> UInt64 {
        t.readSystemRegister(reg, core: core, now: now)!
    }

    @Test func encodingsMatchTheARMARM() {
        // op0=3 op1=3 CRn=14: CNTFRQ 0/0, CNTPCT 0/1, CNTVCT 0/2, CNTP_{TVAL,CTL,CVAL} 2/0-2, CNTV_* 3/0-2.
        #expect(R.cntfrqEL0 == 0xDF00)
        #expect(R.cntpctEL0 == 0xDF01)
        #expect(R.cntvctEL0 == 0xDF02)
        #expect(R.cntkctlEL1 == 0xC708)
        #expect(R.cntpTvalEL0 == 0xDF10)
        #expect(R.cntpCtlEL0 == 0xDF11)
        #expect(R.cntpCvalEL0 == 0xDF12)
        #expect(R.cntvTvalEL0 == 0xDF18)
        #expect(R.cntvCtlEL0 == 0xDF19)
        #expect(R.cntvCvalEL0 == 0xDF1A)
    }

    @Test func counterRegisters() {
        let t = makeTimer(hz: 62_500_000)         // 16 ns per tick
        #expect(read(t, R.cntfrqEL0, at: .zero) == 62_500_000)
        #expect(write(t, R.cntfrqEL0, 1, at: .zero))
        #expect(read(t, R.cntfrqEL0, at: .zero) == 62_500_000)
        #expect(read(t, R.cntpctEL0, at: .nanoseconds(1600)) == 100)
        #expect(read(t, R.cntvctEL0, at: .nanoseconds(1615)) == 100)
        #expect(read(t, R.cntvctEL0, at: .nanoseconds(1616)) == 101)
        #expect(t.counter(at: .microseconds(1_000_000)) == 62_500_000)
    }

    @Test func kernelControlIsStoredPerCore() {
        let t = makeTimer(cores: 2)
        write(t, R.cntkctlEL1, 0xFFFF_FFFF_0000_0303, core: 1, at: .zero)
        #expect(read(t, R.cntkctlEL1, core: 1, at: .zero) == 0x303)
        #expect(read(t, R.cntkctlEL1, core: 0, at: .zero) == 0)
        #expect(t.kernelControl(core: 1) == 0x303)
    }

    @Test func foreignRegistersAreNotAnswered() {
        let t = makeTimer()
        let midr = systemRegisterEncoding(3, 0, 0, 0, 0)
        #expect(t.readSystemRegister(midr, core: 0, now: .zero) == nil)
        #expect(!t.writeSystemRegister(midr, core: 0, value: 0, now: .zero))
    }

    @Test func resetState() {
        let t = makeTimer()
        #expect(read(t, R.cntpCtlEL0, at: .zero) == 0)
        #expect(read(t, R.cntpCvalEL0, at: .zero) == 0)
        #expect(read(t, R.cntvCtlEL0, at: .microseconds(5)) == 0)   // disabled: no ISTATUS even though CVAL 0 <= count
        #expect(sink.changes.isEmpty)
    }

    /// The timer fires at the first picosecond the count reaches CVAL, never a picosecond earlier,
    /// including at 54 MHz where a tick is not a whole number of picoseconds.
    @Test(arguments: [(UInt64(54_000_000), UInt64(1)), (54_000_000, 7), (54_000_000, 54_000_001),
                      (62_500_000, 1), (62_500_000, 3), (62_500_000, 1_000_003)])
    func firesAtTheExactPicosecond(hz: UInt64, cval: UInt64) throws {
        let t = makeTimer(hz: hz)
        let clock = ClockDomain(hertz: hz)
        write(t, R.cntpCvalEL0, cval, at: .zero)
        write(t, R.cntpCtlEL0, 1, at: .zero)
        #expect(scheduler.pending.count == 1)
        let due = try #require(scheduler.pending.first).time
        #expect(clock.ticks(at: due) >= cval)
        #expect(clock.ticks(at: due - SimTime(picoseconds: 1)) < cval)

        // One picosecond early nothing has happened and ISTATUS is clear.
        scheduler.run(until: due - SimTime(picoseconds: 1)) { t.fire($0, now: $1) }
        #expect(!sink.level(ppi: 30, core: 0))
        #expect(read(t, R.cntpCtlEL0, at: due - SimTime(picoseconds: 1)) == 0b001)

        scheduler.run(until: due) { t.fire($0, now: $1) }
        #expect(sink.level(ppi: 30, core: 0))
        #expect(sink.changes == [.init(intid: 30, core: 0, level: true)])
        #expect(read(t, R.cntpCtlEL0, at: due) == 0b101)
        #expect(scheduler.pending.isEmpty)
    }

    @Test func truncatingTickTimeWouldBeOnePicosecondEarly() {
        // Why GenericTimer does its own ceiling division: at 54 MHz tick 1 begins at 18518.5 ps.
        let clock = ClockDomain(hertz: 54_000_000)
        #expect(clock.time(ofTicks: 1).picoseconds == 18_518)
        #expect(clock.ticks(at: clock.time(ofTicks: 1)) == 0)
        #expect(makeTimer(hz: 54_000_000).firstInstant(whenCounterReaches: 1)?.picoseconds == 18_519)
        #expect(makeTimer(hz: 54_000_000).firstInstant(whenCounterReaches: .max) == nil)
    }

    @Test func alreadyDueAssertsAtOnceWithoutAnEvent() {
        let t = makeTimer()
        let now = SimTime.microseconds(10)        // count 625
        write(t, R.cntpCvalEL0, 600, at: now)
        write(t, R.cntpCtlEL0, 1, at: now)
        #expect(scheduler.pending.isEmpty)
        #expect(sink.level(ppi: 30, core: 0))
        #expect(read(t, R.cntpCtlEL0, at: now) == 0b101)
    }

    @Test func timerValueReadsTheSigned32BitDistance() {
        let t = makeTimer()                       // 16 ns per tick
        let start = SimTime.nanoseconds(16 * 1000) // count 1000
        write(t, R.cntpTvalEL0, 100, at: start)
        #expect(read(t, R.cntpCvalEL0, at: start) == 1100)
        #expect(read(t, R.cntpTvalEL0, at: start) == 100)
        #expect(read(t, R.cntpTvalEL0, at: .nanoseconds(16 * 1060)) == 40)
        // After expiry TVAL counts on below zero: -25 as a zero-extended 32-bit value.
        #expect(read(t, R.cntpTvalEL0, at: .nanoseconds(16 * 1125)) == 0xFFFF_FFE7)
    }

    @Test func timerValueWritesSignExtendBits31To0() {
        let t = makeTimer()
        let now = SimTime.nanoseconds(16 * 1000)  // count 1000
        write(t, R.cntpTvalEL0, 0xFFFF_FFF6, at: now)                 // -10
        #expect(read(t, R.cntpCvalEL0, at: now) == 990)
        write(t, R.cntpTvalEL0, 0xDEAD_BEEF_0000_0005, at: now)       // bits 63:32 ignored
        #expect(read(t, R.cntpCvalEL0, at: now) == 1005)
        write(t, R.cntpTvalEL0, 0x8000_0000, at: now)                 // most negative
        #expect(read(t, R.cntpCvalEL0, at: now) == 1000 &- 0x8000_0000)
        // CVAL wrapped below zero is a huge unsigned value: the comparison is unsigned, so not due.
        write(t, R.cntpCtlEL0, 1, at: now)
        #expect(!sink.level(ppi: 30, core: 0))
        // A negative TVAL that leaves CVAL at or below the count is already due.
        write(t, R.cntpTvalEL0, 0xFFFF_FFF6, at: now)
        #expect(sink.level(ppi: 30, core: 0))
        #expect(scheduler.pending.isEmpty)
    }

    @Test func imaskGatesTheLineButNotISTATUS() {
        let t = makeTimer()
        let now = SimTime.microseconds(1)
        write(t, R.cntvCvalEL0, 0, at: now)
        write(t, R.cntvCtlEL0, 0b011, at: now)                        // enabled, masked
        #expect(read(t, R.cntvCtlEL0, at: now) == 0b111)
        #expect(!sink.level(ppi: 27, core: 0))
        write(t, R.cntvCtlEL0, 0b001, at: now)                        // unmask
        #expect(sink.level(ppi: 27, core: 0))
        write(t, R.cntvCtlEL0, 0b011, at: now)                        // mask again
        #expect(!sink.level(ppi: 27, core: 0))
        write(t, R.cntvCtlEL0, 0b001, at: now)
        write(t, R.cntvCtlEL0, 0b000, at: now)                        // disable: ISTATUS reads 0
        #expect(!sink.level(ppi: 27, core: 0))
        #expect(read(t, R.cntvCtlEL0, at: now) == 0)
        #expect(sink.changes.map(\.level) == [true, false, true, false])
    }

    @Test func writesToISTATUSAreIgnored() {
        let t = makeTimer()
        write(t, R.cntpCvalEL0, 1_000_000, at: .zero)
        write(t, R.cntpCtlEL0, 0xFFFF_FFFF_FFFF_FFFC, at: .zero)
        #expect(read(t, R.cntpCtlEL0, at: .zero) == 0)
    }

    @Test func aMaskedTimerNeedsNoWakeupUntilUnmasked() {
        let t = makeTimer()
        write(t, R.cntpCvalEL0, 1000, at: .zero)
        write(t, R.cntpCtlEL0, 0b011, at: .zero)
        #expect(scheduler.pending.isEmpty)
        write(t, R.cntpCtlEL0, 0b001, at: .nanoseconds(100))
        #expect(scheduler.pending.map(\.time) == [.nanoseconds(16_000)])
    }

    @Test func reprogrammingCancelsTheOldEvent() throws {
        let t = makeTimer()
        write(t, R.cntpCvalEL0, 100, at: .zero)
        write(t, R.cntpCtlEL0, 1, at: .zero)
        let first = try #require(scheduler.pending.first)
        #expect(first.time == .nanoseconds(1600))
        write(t, R.cntpCvalEL0, 200, at: .zero)
        #expect(scheduler.cancelled.contains(first.token))
        #expect(scheduler.pending.map(\.time) == [.nanoseconds(3200)])
        scheduler.run(until: .nanoseconds(3199)) { t.fire($0, now: $1) }
        #expect(sink.changes.isEmpty)
        scheduler.run(until: .nanoseconds(3200)) { t.fire($0, now: $1) }
        #expect(sink.level(ppi: 30, core: 0))
        // Moving CVAL into the future lowers the line and schedules again.
        write(t, R.cntpTvalEL0, 10, at: .nanoseconds(3200))
        #expect(!sink.level(ppi: 30, core: 0))
        #expect(scheduler.pending.map(\.time) == [.nanoseconds(3360)])
        // Disabling cancels it.
        write(t, R.cntpCtlEL0, 0, at: .nanoseconds(3200))
        #expect(scheduler.pending.isEmpty)
    }

    @Test func virtualAndPhysicalTimersDriveTheirOwnPPIs() {
        let t = makeTimer()
        write(t, R.cntpCvalEL0, 10, at: .zero)
        write(t, R.cntpCtlEL0, 1, at: .zero)
        write(t, R.cntvCvalEL0, 20, at: .zero)
        write(t, R.cntvCtlEL0, 1, at: .zero)
        #expect(Set(scheduler.pending.map(\.event)) == [.timer(core: 0, timer: .physical), .timer(core: 0, timer: .virtual)])
        scheduler.run(until: .nanoseconds(16 * 10)) { t.fire($0, now: $1) }
        #expect(sink.changes == [.init(intid: 30, core: 0, level: true)])
        scheduler.run(until: .nanoseconds(16 * 20)) { t.fire($0, now: $1) }
        #expect(sink.changes == [.init(intid: 30, core: 0, level: true), .init(intid: 27, core: 0, level: true)])
        #expect(read(t, R.cntvTvalEL0, at: .nanoseconds(16 * 20)) == 0)
    }

    @Test func coresAreIndependent() {
        let t = makeTimer(cores: 4)
        write(t, R.cntpCvalEL0, 50, core: 2, at: .zero)
        write(t, R.cntpCtlEL0, 1, core: 2, at: .zero)
        #expect(read(t, R.cntpCvalEL0, core: 0, at: .zero) == 0)
        #expect(read(t, R.cntpCtlEL0, core: 3, at: .zero) == 0)
        #expect(scheduler.pending.map(\.event) == [.timer(core: 2, timer: .physical)])
        scheduler.run(until: .microseconds(1)) { t.fire($0, now: $1) }
        #expect(sink.changes == [.init(intid: 30, core: 2, level: true)])
        #expect(t.lineLevel(core: 2, .physical))
        #expect(!t.lineLevel(core: 0, .physical))
        // Every core reads the same counter.
        #expect(read(t, R.cntpctEL0, core: 0, at: .microseconds(1)) == read(t, R.cntpctEL0, core: 3, at: .microseconds(1)))
    }

    @Test func resetLowersLinesAndCancelsWakeups() {
        let t = makeTimer(cores: 2)
        write(t, R.cntpCtlEL0, 1, core: 0, at: .microseconds(1))           // CVAL 0: fires at once
        write(t, R.cntvCvalEL0, 1_000_000, core: 1, at: .zero)
        write(t, R.cntvCtlEL0, 1, core: 1, at: .zero)
        #expect(sink.level(ppi: 30, core: 0))
        #expect(scheduler.pending.count == 1)
        t.reset()
        #expect(!sink.level(ppi: 30, core: 0))
        #expect(scheduler.pending.isEmpty)
        #expect(read(t, R.cntvCvalEL0, core: 1, at: .zero) == 0)
    }
}
