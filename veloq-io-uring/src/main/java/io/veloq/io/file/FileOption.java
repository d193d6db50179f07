package io.veloq.io.file;

import java.util.EnumSet;
import java.util.Set;

/**
 * How {@link VeloqFile#open} opens a file. The combination rules are the JDK's ({@code
 * FileChannel.open}): with none of READ, WRITE, APPEND the file is opened for reading; APPEND
 * implies writing and excludes READ and TRUNCATE; CREATE, CREATE_NEW and TRUNCATE are ignored
 * when the file is opened only for reading.
 */
public enum FileOption {
    /** Open for reading. */
    READ,
    /** Open for writing. */
    WRITE,
    /** Create the file if it does not exist (O_CREAT). */
    CREATE,
    /** Create the file, failing with {@link java.nio.file.FileAlreadyExistsException} if it exists (O_CREAT|O_EXCL). */
    CREATE_NEW,
    /** Truncate an existing file to 0 bytes (O_TRUNC). */
    TRUNCATE,
    /** Every write goes to the end of the file (O_APPEND); write with {@link VeloqFile#append}. */
    APPEND,
    /**
     * Bypass the page cache (O_DIRECT): buffers, positions and lengths must be aligned to the file
     * system's block size (registered buffers are page-aligned). Not every file system allows it
     * (tmpfs refuses it on older kernels).
     */
    DIRECT,
    /** Each write returns once its data is on stable storage (O_DSYNC). */
    DSYNC;

    /**
     * Applies the combination rules.
     *
     * @throws IllegalArgumentException for READ+APPEND or APPEND+TRUNCATE
     */
    static Set<FileOption> normalize(Set<FileOption> requested) {
        EnumSet<FileOption> options = requested.isEmpty() ? EnumSet.noneOf(FileOption.class) : EnumSet.copyOf(requested);
        if (options.contains(APPEND)) {
            if (options.contains(READ)) {
                throw new IllegalArgumentException("READ and APPEND cannot be combined");
            }
            if (options.contains(TRUNCATE)) {
                throw new IllegalArgumentException("APPEND and TRUNCATE cannot be combined");
            }
        }
        if (!options.contains(WRITE) && !options.contains(APPEND)) {
            options.add(READ);
            options.remove(CREATE);
            options.remove(CREATE_NEW);
            options.remove(TRUNCATE);
        }
        return Set.copyOf(options);
    }
}
