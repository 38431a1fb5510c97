/// The simulation's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Every random choice in a run (getrandom bytes, AT_RANDOM, load jitter) draws
/// from a generator derived from the run's seed, so the same seed gives the
/// same bytes on any host. Nothing here reads host entropy.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(&sm); s1 = splitmix(&sm); s2 = splitmix(&sm); s3 = splitmix(&sm)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Fills `buffer` with the next bytes of the stream.
    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var i = 0
        while i < buffer.count {
            var word = next()
            for _ in 0..<8 where i < buffer.count {
                buffer[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
    }

    /// A generator for a named sub-stream, so adding a consumer never shifts another's numbers.
    public func derived(_ stream: UInt64) -> SeededRNG {
        var copy = self
        return SeededRNG(seed: copy.next() ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    }
}

extension SeededRNG {
    /// The generator's four words, for a snapshot.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// A generator continuing from a snapshot's `state`.
    public init(state: [UInt64]) {
        precondition(state.count == 4)
        self.init(seed: 0)
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3]
    }
}
