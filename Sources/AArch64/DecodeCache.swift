import Memory

/// Decoded pages of guest code, keyed by virtual page number.
///
/// A page is decoded in full the first time the CPU enters it: 1024 records plus
/// an `.endOfPage` sentinel, so the loop needs no bounds check. The address
/// space watches decoded pages; a write to one (or an unmap or mprotect) drops
/// the decode. Dropped pages are kept until the current `run` returns, because
/// the loop may still be executing from one: A64 only promises that new code is
/// seen after an ISB, which ends the loop's current page.
public final class DecodeCache {
    public static let slotsPerPage = 1024
    private var pages: [UInt64: UnsafeMutablePointer<DecodedInstruction>] = [:]
    // A direct-mapped front for `pages`: calls and returns cross pages often, and a
    // tag compare is far cheaper than hashing (see benchmarks/README.md).
    private static let frontSize = 256
    private let frontTag: UnsafeMutablePointer<UInt64>
    private let frontPage: UnsafeMutablePointer<UnsafeMutablePointer<DecodedInstruction>?>
    private var retired: [UnsafeMutablePointer<DecodedInstruction>] = []
    private unowned let space: AddressSpace
    /// Pages decoded so far (a statistic).
    public private(set) var pagesDecoded = 0

    public init(space: AddressSpace) {
        self.space = space
        frontTag = .allocate(capacity: Self.frontSize)
        frontTag.initialize(repeating: .max, count: Self.frontSize)
        frontPage = .allocate(capacity: Self.frontSize)
        frontPage.initialize(repeating: nil, count: Self.frontSize)
        space.watchedPageWillChange = { [unowned self] vpn in self.invalidate(page: vpn) }
    }

    deinit {
        for (_, p) in pages { p.deallocate() }
        releaseRetired()
        frontTag.deallocate()
        frontPage.deallocate()
    }

    /// The decoded records of executable page `vpn`, or nil (with `space.lastFault`) if it cannot be fetched.
    @inline(__always)
    public func page(_ vpn: UInt64) -> UnsafeMutablePointer<DecodedInstruction>? {
        let slot = Int(truncatingIfNeeded: vpn) & (Self.frontSize - 1)
        if _fastPath(frontTag[slot] == vpn) { return frontPage[slot] }
        return pageSlow(vpn, slot: slot)
    }

    @inline(never)
    private func pageSlow(_ vpn: UInt64, slot: Int) -> UnsafeMutablePointer<DecodedInstruction>? {
        if let p = pages[vpn] {
            frontTag[slot] = vpn
            frontPage[slot] = p
            return p
        }
        guard let host = space.fetchPage(vpn) else { return nil }
        let p = UnsafeMutablePointer<DecodedInstruction>.allocate(capacity: Self.slotsPerPage + 1)
        let base = vpn << 12
        for i in 0..<Self.slotsPerPage {
            let word = host.load(fromByteOffset: i * 4, as: UInt32.self)
            (p + i).initialize(to: A64Decoder.decode(word, pc: base + UInt64(i * 4)))
        }
        (p + Self.slotsPerPage).initialize(to: DecodedInstruction(op: .endOfPage))
        pages[vpn] = p
        pagesDecoded += 1
        frontTag[slot] = vpn
        frontPage[slot] = p
        return p
    }

    /// Drops the decode of `vpn` (its bytes are about to change).
    public func invalidate(page vpn: UInt64) {
        if let p = pages.removeValue(forKey: vpn) { retired.append(p) }
        let slot = Int(truncatingIfNeeded: vpn) & (Self.frontSize - 1)
        if frontTag[slot] == vpn { frontTag[slot] = .max; frontPage[slot] = nil }
    }

    /// Frees decodes dropped while a run was in progress.
    func releaseRetired() {
        for p in retired { p.deallocate() }
        retired.removeAll(keepingCapacity: true)
    }
}
