package io.veloq.io.file;

import io.veloq.io.IoBackends;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Path operations in direct style: on the io_uring backend they are ring operations (MKDIRAT,
 * UNLINKAT, RENAMEAT, STATX) of the caller's worker; on the portable backend, {@link
 * java.nio.file.Files} calls. Failures are the JDK's: {@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.FileAlreadyExistsException}, {@link java.nio.file.DirectoryNotEmptyException},
 * {@link java.nio.file.AccessDeniedException}, each naming the path.
 *
 * <p>Threading: every method must be called from a Veloq task ({@link IllegalStateException}
 * elsewhere); stateless. On io_uring an interrupt while the operation is in flight cancels it if
 * the kernel has not done it yet and throws {@link java.io.InterruptedIOException} (the portable
 * backend's plain system calls complete). Kernels whose opcode probe lacks MKDIRAT, UNLINKAT or
 * RENAMEAT get the JDK's {@link java.nio.file.Files} for that operation.
 */
public final class VeloqFiles {

    private VeloqFiles() {}

    /** Creates the directory {@code dir} (its parent must exist), mode 0777 minus the umask. */
    public static void createDirectory(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        IoBackends.current().createDirectory(dir);
    }

    /** Deletes a file, a symbolic link (not its target) or an empty directory. */
    public static void delete(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        IoBackends.current().delete(path);
    }

    /**
     * Renames {@code source} to {@code target} atomically; an existing file {@code target} is
     * replaced (rename(2) semantics: a directory may replace only an empty directory).
     */
    public static void rename(Path source, Path target) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        IoBackends.current().rename(source, target);
    }

    /** The metadata of {@code path}, following symbolic links. */
    public static FileMetadata metadata(Path path) throws IOException {
        return metadata(path, true);
    }

    /** The metadata of {@code path}; of a symbolic link itself when {@code followLinks} is false. */
    public static FileMetadata metadata(Path path, boolean followLinks) throws IOException {
        Objects.requireNonNull(path, "path");
        return IoBackends.current().metadata(path, followLinks);
    }
}
