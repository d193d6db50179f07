package io.veloq.io.portable;

import io.veloq.io.file.FileMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** {@link FileMetadata} from the JDK's {@code unix:*} attribute view (Linux). Stateless. */
final class PortableMetadata {

    private PortableMetadata() {}

    static FileMetadata read(Path path, boolean followLinks) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:*", PortableBackend.linkOptions(followLinks));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return basic(Files.readAttributes(path, BasicFileAttributes.class, PortableBackend.linkOptions(followLinks)));
        }
        int mode = (Integer) a.get("mode");
        FileTime modified = (FileTime) a.get("lastModifiedTime");
        FileTime created = (FileTime) a.get("creationTime");
        return new FileMetadata(FileMetadata.kindOfMode(mode), (Long) a.get("size"), mode & 07777,
                (Long) a.get("ino"), ((Number) a.get("nlink")).longValue(), (Integer) a.get("uid"),
                (Integer) a.get("gid"), modified, (FileTime) a.get("lastAccessTime"), (FileTime) a.get("ctime"),
                created != null ? created : modified);
    }

    private static FileMetadata basic(BasicFileAttributes b) {
        FileMetadata.Kind kind = b.isRegularFile() ? FileMetadata.Kind.REGULAR : b.isDirectory()
                ? FileMetadata.Kind.DIRECTORY : b.isSymbolicLink() ? FileMetadata.Kind.SYMBOLIC_LINK : FileMetadata.Kind.OTHER;
        return new FileMetadata(kind, b.size(), 0, 0, 1, 0, 0, b.lastModifiedTime(), b.lastAccessTime(),
                b.lastModifiedTime(), b.creationTime());
    }
}
