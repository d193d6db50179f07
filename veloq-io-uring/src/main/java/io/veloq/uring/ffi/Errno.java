package io.veloq.uring.ffi;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Linux errno values (asm-generic numbering, shared by x86_64 and aarch64), their names, and the
 * one place where a failed call becomes a Java exception.
 *
 * <p>Kernel results arrive as {@code -errno} (a CQE's {@code res}, or the wrappers of {@link LibC}
 * and {@link IoUringSyscalls}). Callers first handle the errnos they expect by name ({@link #EAGAIN},
 * {@link #EINTR}, {@link #ECANCELED}, {@link #ETIME}, {@link #EALREADY}, {@link #ENOENT} for a cancel
 * that found nothing), and hand every other one to {@link #exception(int, String)}, which maps it
 * to the JDK's own exception type with the path or address in the message. Nothing is silently
 * remapped: the errno name always appears in the message of a generic {@link IOException}.
 */
public final class Errno {

    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ETIME = 62;
    public static final int EOVERFLOW = 75;
    public static final int EBADFD = 77;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;

    private static final int MAX = 134;
    private static final String[] NAMES = new String[MAX];
    private static final String[] TEXTS = new String[MAX];

    static {
        describe(EPERM, "EPERM", "Operation not permitted");
        describe(ENOENT, "ENOENT", "No such file or directory");
        describe(ESRCH, "ESRCH", "No such process");
        describe(EINTR, "EINTR", "Interrupted system call");
        describe(EIO, "EIO", "Input/output error");
        describe(ENXIO, "ENXIO", "No such device or address");
        describe(E2BIG, "E2BIG", "Argument list too long");
        describe(EBADF, "EBADF", "Bad file descriptor");
        describe(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        describe(ENOMEM, "ENOMEM", "Cannot allocate memory");
        describe(EACCES, "EACCES", "Permission denied");
        describe(EFAULT, "EFAULT", "Bad address");
        describe(EBUSY, "EBUSY", "Device or resource busy");
        describe(EEXIST, "EEXIST", "File exists");
        describe(EXDEV, "EXDEV", "Invalid cross-device link");
        describe(ENODEV, "ENODEV", "No such device");
        describe(ENOTDIR, "ENOTDIR", "Not a directory");
        describe(EISDIR, "EISDIR", "Is a directory");
        describe(EINVAL, "EINVAL", "Invalid argument");
        describe(ENFILE, "ENFILE", "Too many open files in system");
        describe(EMFILE, "EMFILE", "Too many open files");
        describe(ETXTBSY, "ETXTBSY", "Text file busy");
        describe(EFBIG, "EFBIG", "File too large");
        describe(ENOSPC, "ENOSPC", "No space left on device");
        describe(ESPIPE, "ESPIPE", "Illegal seek");
        describe(EROFS, "EROFS", "Read-only file system");
        describe(EMLINK, "EMLINK", "Too many links");
        describe(EPIPE, "EPIPE", "Broken pipe");
        describe(ERANGE, "ERANGE", "Numerical result out of range");
        describe(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        describe(ENOSYS, "ENOSYS", "Function not implemented");
        describe(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
        describe(ELOOP, "ELOOP", "Too many levels of symbolic links");
        describe(ETIME, "ETIME", "Timer expired");
        describe(EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        describe(EBADFD, "EBADFD", "File descriptor in bad state");
        describe(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        describe(EDESTADDRREQ, "EDESTADDRREQ", "Destination address required");
        describe(EMSGSIZE, "EMSGSIZE", "Message too long");
        describe(ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available");
        describe(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
        describe(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        describe(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
        describe(EADDRINUSE, "EADDRINUSE", "Address already in use");
        describe(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
        describe(ENETDOWN, "ENETDOWN", "Network is down");
        describe(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
        describe(ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
        describe(ECONNRESET, "ECONNRESET", "Connection reset");
        describe(ENOBUFS, "ENOBUFS", "No buffer space available");
        describe(EISCONN, "EISCONN", "Transport endpoint is already connected");
        describe(ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
        describe(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        describe(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        describe(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
        describe(EALREADY, "EALREADY", "Operation already in progress");
        describe(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
        describe(EDQUOT, "EDQUOT", "Disk quota exceeded");
        describe(ECANCELED, "ECANCELED", "Operation canceled");
    }

    private static void describe(int errno, String name, String text) {
        NAMES[errno] = name;
        TEXTS[errno] = text;
    }

    /** The symbolic name, e.g. {@code "ENOENT"}; {@code "errno 200"} for one this class does not list. */
    public static String name(int errno) {
        return known(errno) ? NAMES[errno] : "errno " + errno;
    }

    /** The strerror-style text followed by the name, e.g. {@code "No such file or directory (ENOENT)"}. */
    public static String describe(int errno) {
        return known(errno) ? TEXTS[errno] + " (" + NAMES[errno] + ")" : "Unknown error (errno " + errno + ")";
    }

    private static boolean known(int errno) {
        return errno > 0 && errno < MAX && NAMES[errno] != null;
    }

    /**
     * Maps a negative kernel result ({@code -errno}) to an exception; see {@link #exception(int, String)}.
     *
     * @throws IllegalArgumentException if {@code negativeResult} is not negative
     */
    public static IOException fromResult(int negativeResult, String context) {
        if (negativeResult >= 0) {
            throw new IllegalArgumentException("not a failed result: " + negativeResult);
        }
        return exception(-negativeResult, context);
    }

    /**
     * The JDK's exception for {@code errno}, with {@code context} (a path for file errors, an
     * address or operation for socket errors; may be null) in the message.
     */
    public static IOException exception(int errno, String context) {
        String reason = describe(errno);
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(context, null, reason);
            case EACCES, EPERM -> new AccessDeniedException(context, null, reason);
            case EEXIST -> new FileAlreadyExistsException(context, null, reason);
            case ENOTDIR -> new NotDirectoryException(context);
            case ENOTEMPTY -> new DirectoryNotEmptyException(context);
            case ELOOP, EISDIR, EROFS, ENOSPC, EDQUOT, EXDEV, ENAMETOOLONG, EMLINK, ETXTBSY, EFBIG ->
                    new FileSystemException(context, null, reason);
            case EBADF -> new ClosedChannelException();
            case ECONNREFUSED -> new ConnectException(withContext(reason, context));
            case ENETUNREACH, EHOSTUNREACH -> new NoRouteToHostException(withContext(reason, context));
            case EADDRINUSE, EADDRNOTAVAIL -> new BindException(withContext(reason, context));
            case ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN, ETIMEDOUT, ENETDOWN, ENOTSOCK, EISCONN ->
                    new SocketException(withContext(reason, context));
            default -> new IOException(withContext(reason, context));
        };
    }

    private static String withContext(String reason, String context) {
        return context == null ? reason : reason + ": " + context;
    }
}
