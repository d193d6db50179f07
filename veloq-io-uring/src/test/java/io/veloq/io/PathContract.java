package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.file.FileMetadata;
import io.veloq.io.file.VeloqFiles;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Path operations: mkdir, delete (file and directory), rename, metadata, and their errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class PathContract extends IoContract {

    @TempDir
    Path dir;

    PathContract(Backend backend) {
        super(backend);
    }

    @Test
    void createDirectoryAndItsErrors() throws Exception {
        Path sub = dir.resolve("sub");
        inTask(() -> {
            VeloqFiles.createDirectory(sub);
            assertTrue(Files.isDirectory(sub));
            assertEquals(FileMetadata.Kind.DIRECTORY, VeloqFiles.metadata(sub).kind());
            FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                    () -> VeloqFiles.createDirectory(sub));
            assertTrue(exists.getMessage().contains(sub.toString()), exists.getMessage());
            Path orphan = dir.resolve("no/such/parent");
            NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> VeloqFiles.createDirectory(orphan));
            assertTrue(none.getMessage().contains(orphan.toString()), none.getMessage());
        });
    }

    @Test
    void deleteRemovesFilesAndEmptyDirectoriesOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("inner.txt"), "y");
        inTask(() -> {
            VeloqFiles.delete(file);
            VeloqFiles.delete(empty);
            assertThrows(DirectoryNotEmptyException.class, () -> VeloqFiles.delete(full));
            NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> VeloqFiles.delete(file));
            assertTrue(none.getMessage().contains(file.toString()), none.getMessage());
        });
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(empty));
        assertTrue(Files.exists(full.resolve("inner.txt")));
    }

    @Test
    void renameMovesAndReplacesAtomically() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "A");
        Path b = Files.writeString(dir.resolve("b.txt"), "B");
        Path c = dir.resolve("c.txt");
        inTask(() -> {
            VeloqFiles.rename(a, c);
            VeloqFiles.rename(c, b); // replaces the existing b
            NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> VeloqFiles.rename(a, c));
            assertTrue(none.getMessage().contains(a.toString()), none.getMessage());
        });
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(c));
        assertEquals("A", Files.readString(b));
    }

    @Test
    void metadataFollowsLinksUnlessToldNot() throws Exception {
        Path target = Files.writeString(dir.resolve("target.txt"), "12345");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        inTask(() -> {
            FileMetadata followed = VeloqFiles.metadata(link);
            assertEquals(FileMetadata.Kind.REGULAR, followed.kind());
            assertEquals(5, followed.size());
            FileMetadata itself = VeloqFiles.metadata(link, false);
            assertEquals(FileMetadata.Kind.SYMBOLIC_LINK, itself.kind());
            assertTrue(itself.isSymbolicLink());
            assertThrows(NoSuchFileException.class, () -> VeloqFiles.metadata(dir.resolve("nothing")));
        });
    }
}
