package io.veloq.io.file;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What the kernel knows about a file: {@code statx(2)} on the io_uring backend, the JDK's
 * {@code unix:*} attributes on the portable backend. Usable wherever the JDK expects
 * {@link BasicFileAttributes}.
 *
 * @param kind regular file, directory, symbolic link or other
 * @param size bytes
 * @param permissions the permission bits ({@code mode & 07777})
 * @param inode the inode number
 * @param links the hard link count
 * @param uid owner user id
 * @param gid owner group id
 * @param lastModifiedTime mtime
 * @param lastAccessTime atime
 * @param changeTime ctime (last status change)
 * @param creationTime btime where the file system records it, else mtime (as the JDK does)
 */
public record FileMetadata(Kind kind, long size, int permissions, long inode, long links, int uid, int gid,
                           FileTime lastModifiedTime, FileTime lastAccessTime, FileTime changeTime,
                           FileTime creationTime) implements BasicFileAttributes {

    /** The type of a file. */
    public enum Kind { REGULAR, DIRECTORY, SYMBOLIC_LINK, OTHER }

    public FileMetadata {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(lastModifiedTime, "lastModifiedTime");
        Objects.requireNonNull(lastAccessTime, "lastAccessTime");
        Objects.requireNonNull(changeTime, "changeTime");
        Objects.requireNonNull(creationTime, "creationTime");
    }

    /** The kind encoded in the {@code S_IFMT} bits of a Unix mode. */
    public static Kind kindOfMode(int mode) {
        return switch (mode & 0170000) {
            case 0100000 -> Kind.REGULAR;
            case 0040000 -> Kind.DIRECTORY;
            case 0120000 -> Kind.SYMBOLIC_LINK;
            default -> Kind.OTHER;
        };
    }

    @Override
    public boolean isRegularFile() {
        return kind == Kind.REGULAR;
    }

    @Override
    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return kind == Kind.SYMBOLIC_LINK;
    }

    @Override
    public boolean isOther() {
        return kind == Kind.OTHER;
    }

    /** Not provided (the JDK allows null): compare {@link #inode()} on one file system instead. */
    @Override
    public Object fileKey() {
        return null;
    }
}
