/// The checkpoints a debugger keeps to go back in time: machine states captured every so many
/// instructions, from which deterministic re-execution reaches any earlier position.
///
/// A position is an instruction count (of the core the debugger follows). Memory is bounded:
/// past `capacity` checkpoints, every other one of the older half is dropped, so the spacing
/// grows with the distance from the present and going back costs at most a few intervals of
/// re-execution wherever the target lies.
struct ExecutionHistory<State> {
    struct Checkpoint {
        var position: UInt64
        var state: State
    }

    private(set) var checkpoints: [Checkpoint] = []
    let interval: UInt64
    let capacity: Int

    init(interval: UInt64, capacity: Int = 48) {
        self.interval = interval
        self.capacity = capacity
    }

    /// Whether a checkpoint is due at `position` (none within `interval` before it).
    func due(at position: UInt64) -> Bool {
        guard let last = checkpoints.last else { return true }
        return position >= last.position + interval
    }

    mutating func record(_ position: UInt64, _ state: State) {
        forget(from: position) // anything at or past it belongs to a timeline that has changed
        checkpoints.append(Checkpoint(position: position, state: state))
        if checkpoints.count > capacity {
            let older = checkpoints.count / 2
            var kept: [Checkpoint] = []
            for (i, c) in checkpoints.enumerated() where i >= older || i == 0 || i % 2 == 0 { kept.append(c) }
            checkpoints = kept
        }
    }

    /// Drops the checkpoints at or after `position`: the user changed the state there (a register
    /// or memory write), so they describe a timeline the run will not reach again.
    mutating func forget(from position: UInt64) {
        checkpoints.removeAll { $0.position >= position }
    }

    /// The latest checkpoint at or before `position`.
    func latest(atOrBefore position: UInt64) -> Checkpoint? {
        checkpoints.last { $0.position <= position }
    }

    /// The latest checkpoint strictly before `position`.
    func latest(before position: UInt64) -> Checkpoint? {
        checkpoints.last { $0.position < position }
    }
}
