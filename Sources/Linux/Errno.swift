/// Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h); syscalls return their negation.
public enum Errno: Int64, Sendable {
    case EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10, EAGAIN = 11
    case ENOMEM = 12, EACCES = 13, EFAULT = 14, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21
    case EINVAL = 22, EMFILE = 24, ENOTTY = 25, ESPIPE = 29, EROFS = 30, ERANGE = 34, ENOSYS = 38
    case ETIMEDOUT = 110

    /// The raw syscall return value for this error.
    public var result: Int64 { -rawValue }
}
