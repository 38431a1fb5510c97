/// An open file description: the host's standard streams and /dev/null are the files a process can reach.
enum OpenFile: Equatable {
    case stdin, stdout, stderr, null

    /// st_mode: the standard streams look like pipes on every host (S_IFIFO 0600), so glibc
    /// chooses the same full buffering whether evlsim's output goes to a terminal, a file or a pipe;
    /// /dev/null is the character device 1:3 (S_IFCHR 0666).
    var mode: UInt32 { self == .null ? 0o020666 : 0o010600 }
    var rdev: UInt64 { self == .null ? (1 << 8 | 3) : 0 }
}

extension LinuxProcess {
    func file(_ fd: UInt64) -> OpenFile? { files[Int64(bitPattern: fd)] }

    /// The device files a path names; the process has no other file system.
    static func device(named path: String) -> OpenFile? {
        switch path {
        case "/dev/null": return .null
        case "/dev/stdin": return .stdin
        case "/dev/stdout": return .stdout
        case "/dev/stderr": return .stderr
        default: return nil
        }
    }

    func read(fd: UInt64, buffer: UInt64, count: UInt64) -> Int64 {
        guard let f = file(fd) else { return Errno.EBADF.result }
        switch f {
        case .stdout, .stderr: return Errno.EBADF.result
        case .null: return 0
        case .stdin:
            let n = Int(min(count, 1 << 20))
            var bytes = [UInt8](repeating: 0, count: n)
            let got = bytes.withUnsafeMutableBytes { io.readStdin(into: $0) }
            return copyToUser(buffer, Array(bytes[0..<got])) ? Int64(got) : Errno.EFAULT.result
        }
    }

    func write(fd: UInt64, buffer: UInt64, count: UInt64) -> Int64 {
        guard let f = file(fd) else { return Errno.EBADF.result }
        guard count <= 1 << 30 else { return Errno.EINVAL.result }
        guard let bytes = copyFromUser(buffer, count: Int(count)) else { return Errno.EFAULT.result }
        switch f {
        case .stdin: return Errno.EBADF.result
        case .null: break
        case .stdout: bytes.withUnsafeBytes { io.write(stream: 1, $0) }
        case .stderr: bytes.withUnsafeBytes { io.write(stream: 2, $0) }
        }
        return Int64(count)
    }

    /// readv/writev: struct iovec { void *base; size_t len; }.
    func vectored(fd: UInt64, iov: UInt64, count: UInt64, isWrite: Bool) -> Int64 {
        guard file(fd) != nil else { return Errno.EBADF.result }
        guard count <= 1024 else { return Errno.EINVAL.result }
        guard let raw = copyFromUser(iov, count: Int(count) * 16) else { return Errno.EFAULT.result }
        var total: Int64 = 0
        for i in 0..<Int(count) {
            let base = raw.get64(i * 16), len = raw.get64(i * 16 + 8)
            if len == 0 { continue }
            let r = isWrite ? write(fd: fd, buffer: base, count: len) : read(fd: fd, buffer: base, count: len)
            if r < 0 { return total > 0 ? total : r }
            total += r
            if !isWrite && UInt64(r) < len { break }
        }
        return total
    }

    func openat(dirfd: UInt64, path: UInt64, flags: UInt64) -> Int64 {
        guard let name = space.readCString(path) else { return Errno.EFAULT.result }
        let target: OpenFile
        switch name {
        case "/proc/self/fd/0": target = .stdin
        case "/proc/self/fd/1": target = .stdout
        case "/proc/self/fd/2": target = .stderr
        case "/dev/tty": return Errno.ENODEV.result
        default:
            guard let device = Self.device(named: name) else { return Errno.ENOENT.result }
            target = device
        }
        return install(target, atOrAbove: 0)
    }

    func install(_ f: OpenFile, atOrAbove low: Int64) -> Int64 {
        var fd = low
        while files[fd] != nil { fd += 1 }
        guard fd < 1024 else { return Errno.EMFILE.result }
        files[fd] = f
        return fd
    }

    func close(fd: UInt64) -> Int64 {
        files.removeValue(forKey: Int64(bitPattern: fd)) == nil ? Errno.EBADF.result : 0
    }

    func dup(_ fd: UInt64, to newFD: Int64?) -> Int64 {
        guard let f = file(fd) else { return Errno.EBADF.result }
        guard let newFD else { return install(f, atOrAbove: 0) }
        guard newFD >= 0 && newFD < 1024 else { return Errno.EBADF.result }
        files[newFD] = f
        return newFD
    }

    func fcntl(fd: UInt64, command: UInt64, argument: UInt64) -> Int64 {
        guard let f = file(fd) else { return Errno.EBADF.result }
        switch command {
        case 0, 1030: return install(f, atOrAbove: Int64(bitPattern: argument)) // F_DUPFD, F_DUPFD_CLOEXEC
        case 1, 2: return 0          // F_GETFD, F_SETFD
        case 3: return f == .stdin ? 0 : 1 // F_GETFL: O_RDONLY / O_WRONLY
        case 4: return 0             // F_SETFL
        default: return Errno.EINVAL.result
        }
    }

    func ioctl(fd: UInt64, request: UInt64) -> Int64 {
        guard file(fd) != nil else { return Errno.EBADF.result }
        return Errno.ENOTTY.result // no file is a terminal: TCGETS, TIOCGWINSZ and the rest fail alike
    }

    /// struct stat for AArch64 (asm-generic/stat.h), 128 bytes.
    func statBytes(_ f: OpenFile) -> [UInt8] {
        var b: [UInt8] = []
        b.put64(f == .null ? 5 : 12)  // st_dev
        b.put64(f == .null ? 4 : UInt64(10 + (f == .stdin ? 0 : f == .stdout ? 1 : 2))) // st_ino
        b.put32(f.mode)               // st_mode
        b.put32(1)                    // st_nlink
        b.put32(UInt32(truncatingIfNeeded: identity.uid)); b.put32(UInt32(truncatingIfNeeded: identity.gid))
        b.put64(f.rdev)               // st_rdev
        b.put64(0)                    // __pad1
        b.put64(0)                    // st_size
        b.put32(4096); b.put32(0)     // st_blksize, __pad2
        b.put64(0)                    // st_blocks
        for _ in 0..<6 { b.put64(0) } // atime, mtime, ctime (+ nsec)
        b.put32(0); b.put32(0)        // __unused4, __unused5
        return b
    }

    func fstat(fd: UInt64, buffer: UInt64) -> Int64 {
        guard let f = file(fd) else { return Errno.EBADF.result }
        return copyToUser(buffer, statBytes(f)) ? 0 : Errno.EFAULT.result
    }

    func fstatat(dirfd: UInt64, path: UInt64, buffer: UInt64, flags: UInt64) -> Int64 {
        guard let name = space.readCString(path) else { return Errno.EFAULT.result }
        let atEmptyPath: UInt64 = 0x1000
        if name.isEmpty {
            guard flags & atEmptyPath != 0 else { return Errno.ENOENT.result }
            return fstat(fd: dirfd, buffer: buffer)
        }
        guard let f = Self.device(named: name) else { return Errno.ENOENT.result }
        return copyToUser(buffer, statBytes(f)) ? 0 : Errno.EFAULT.result
    }

    func readlinkat(path: UInt64, buffer: UInt64, size: UInt64) -> Int64 {
        guard let name = space.readCString(path) else { return Errno.EFAULT.result }
        guard name == "/proc/self/exe" else { return Errno.ENOENT.result }
        guard Int64(bitPattern: size) > 0 else { return Errno.EINVAL.result }
        let bytes = Array(executablePath.utf8.prefix(Int(min(size, 4096)))) // readlink does not NUL-terminate
        return copyToUser(buffer, bytes) ? Int64(bytes.count) : Errno.EFAULT.result
    }

    func faccessat(path: UInt64) -> Int64 {
        guard let name = space.readCString(path) else { return Errno.EFAULT.result }
        return Self.device(named: name) != nil || name == "/" ? 0 : Errno.ENOENT.result
    }

    func getcwd(buffer: UInt64, size: UInt64) -> Int64 {
        guard size >= 2 else { return Errno.ERANGE.result }
        return copyToUser(buffer, [UInt8(ascii: "/"), 0]) ? 2 : Errno.EFAULT.result
    }
}
