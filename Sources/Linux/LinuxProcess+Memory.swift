import Memory

extension LinuxProcess {
    static let PROT_READ: UInt64 = 1, PROT_WRITE: UInt64 = 2, PROT_EXEC: UInt64 = 4
    static let MAP_SHARED: UInt64 = 0x01, MAP_PRIVATE: UInt64 = 0x02, MAP_FIXED: UInt64 = 0x10
    static let MAP_ANONYMOUS: UInt64 = 0x20, MAP_FIXED_NOREPLACE: UInt64 = 0x10_0000
    static let MREMAP_MAYMOVE: UInt64 = 1

    static func permissions(_ prot: UInt64) -> PagePermissions {
        var p: PagePermissions = []
        if prot & PROT_READ != 0 { p.insert(.read) }
        if prot & PROT_WRITE != 0 { p.insert(.write) }
        if prot & PROT_EXEC != 0 { p.insert(.execute) }
        return p
    }

    /// brk(2): grows or shrinks the heap; returns the (possibly unchanged) break.
    func brk(_ requested: UInt64) -> UInt64 {
        guard requested >= brkStart else { return brkCurrent }
        let oldEnd = (brkCurrent + 0xFFF) & ~0xFFF, newEnd = (requested + 0xFFF) & ~0xFFF
        if newEnd > oldEnd {
            guard newEnd <= mmapBottom, space.isFree(oldEnd, length: newEnd - oldEnd),
                  (try? space.map(oldEnd, length: newEnd - oldEnd, permissions: .rw)) != nil
            else { return brkCurrent }
        } else if newEnd < oldEnd {
            space.unmap(newEnd, length: oldEnd - newEnd)
        }
        brkCurrent = requested
        return brkCurrent
    }

    /// Finds `length` free bytes below `mmapTop`, highest first, as Linux's top-down allocator does.
    func findFreeRange(_ length: UInt64) -> UInt64? {
        var candidate = (mmapTop - length) & ~0xFFF
        while candidate >= mmapBottom {
            if space.isFree(candidate, length: length) { return candidate }
            // Step below the highest mapped page inside the candidate range.
            var vpn = (candidate + length - 1) >> 12
            while vpn >= candidate >> 12 && space.entry(page: vpn) == nil { vpn -= 1 }
            guard vpn << 12 >= mmapBottom + length else { return nil }
            candidate = ((vpn << 12) - length) & ~0xFFF
        }
        return nil
    }

    func mmap(address: UInt64, length: UInt64, prot: UInt64, flags: UInt64, fd: UInt64, offset: UInt64) -> Int64 {
        guard length > 0, length < 1 << 46 else { return Errno.EINVAL.result }
        let size = (length + 0xFFF) & ~0xFFF
        guard flags & (Self.MAP_SHARED | Self.MAP_PRIVATE) != 0 else { return Errno.EINVAL.result }
        guard flags & Self.MAP_ANONYMOUS != 0 else {
            // File mappings need a file system; the only files here are devices.
            return Int64(bitPattern: fd) < 0 || file(fd) == nil ? Errno.EBADF.result : Errno.ENODEV.result
        }
        var target: UInt64
        if flags & (Self.MAP_FIXED | Self.MAP_FIXED_NOREPLACE) != 0 {
            guard address & 0xFFF == 0 else { return Errno.EINVAL.result }
            if flags & Self.MAP_FIXED_NOREPLACE != 0 && !space.isFree(address, length: size) {
                return Errno.EEXIST.result
            }
            target = address
            space.unmap(target, length: size)
        } else if address != 0, address & 0xFFF == 0, address >= mmapBottom, space.isFree(address, length: size) {
            target = address // a free hint is honoured
        } else {
            guard let free = findFreeRange(size) else { return Errno.ENOMEM.result }
            target = free
        }
        do {
            try space.map(target, length: size, permissions: Self.permissions(prot))
        } catch {
            return Errno.ENOMEM.result
        }
        return Int64(bitPattern: target)
    }

    func munmap(address: UInt64, length: UInt64) -> Int64 {
        guard address & 0xFFF == 0, length > 0 else { return Errno.EINVAL.result }
        space.unmap(address, length: (length + 0xFFF) & ~0xFFF)
        return 0
    }

    func mprotect(address: UInt64, length: UInt64, prot: UInt64) -> Int64 {
        guard address & 0xFFF == 0 else { return Errno.EINVAL.result }
        if length == 0 { return 0 }
        return space.protect(address, length: (length + 0xFFF) & ~0xFFF, permissions: Self.permissions(prot)) ? 0 : Errno.ENOMEM.result
    }

    func madvise(address: UInt64, length: UInt64, advice: UInt64) -> Int64 {
        guard address & 0xFFF == 0 else { return Errno.EINVAL.result }
        let madvDontneed: UInt64 = 4
        if advice == madvDontneed {
            // Private anonymous pages read back as zero after MADV_DONTNEED.
            var a = address
            let end = address + ((length + 0xFFF) & ~0xFFF)
            while a < end {
                if let e = space.entry(page: a >> 12) {
                    space.unmap(a, length: 0x1000)
                    try? space.map(a, length: 0x1000, permissions: e.permissions)
                }
                a += 0x1000
            }
        }
        return 0
    }

    func mremap(old: UInt64, oldSize: UInt64, newSize: UInt64, flags: UInt64) -> Int64 {
        guard old & 0xFFF == 0, newSize > 0 else { return Errno.EINVAL.result }
        let oldLen = (oldSize + 0xFFF) & ~0xFFF, newLen = (newSize + 0xFFF) & ~0xFFF
        guard let first = space.entry(page: old >> 12) else { return Errno.EFAULT.result }
        if newLen <= oldLen {
            space.unmap(old + newLen, length: oldLen - newLen)
            return Int64(bitPattern: old)
        }
        if space.isFree(old + oldLen, length: newLen - oldLen),
           (try? space.map(old + oldLen, length: newLen - oldLen, permissions: first.permissions)) != nil {
            return Int64(bitPattern: old)
        }
        guard flags & Self.MREMAP_MAYMOVE != 0 else { return Errno.ENOMEM.result }
        guard let target = findFreeRange(newLen),
              (try? space.map(target, length: newLen, permissions: first.permissions)) != nil,
              let bytes = space.read(old, count: Int(oldLen))
        else { return Errno.ENOMEM.result }
        space.write(target, bytes: bytes, force: true)
        space.unmap(old, length: oldLen)
        return Int64(bitPattern: target)
    }
}
