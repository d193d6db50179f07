package io.veloq.io.uring;

import io.veloq.io.net.TcpStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of every {@link ReceiveInbox} test stream, keyed by stream position so that a byte
 * lost, repeated or out of place shows: the peer's writers, the tasks' checked reads, and the
 * check that two readers together received the stream exactly once. Stateless; any thread.
 */
final class StreamPattern {

    private StreamPattern() {}

    /** Byte {@code position} of every test stream: one splitmix64 value per 8 bytes. */
    static byte patternAt(long position) {
        long z = (position >>> 3) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (byte) (z >>> ((position & 7) << 3));
    }

    static void checkPattern(byte[] bytes, int count, long position) {
        for (int i = 0; i < count; i++) {
            if (bytes[i] != patternAt(position + i)) {
                throw new AssertionError("stream byte " + (position + i) + " is " + bytes[i] + ", expected "
                        + patternAt(position + i));
            }
        }
    }

    /** The peer writes stream bytes [from, from + length) in pieces of 1 to {@code maxPiece}; progress after each. */
    static void peerWrites(Socket peer, long from, long length, int maxPiece, long seed, AtomicLong progress)
            throws IOException {
        OutputStream out = peer.getOutputStream();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] piece = new byte[maxPiece];
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(length - done, 1 + random.nextInt(maxPiece));
            for (int i = 0; i < n; i++) {
                piece[i] = patternAt(from + done + i);
            }
            out.write(piece, 0, n);
            done += n;
            if (progress != null) {
                progress.set(done);
            }
        }
    }

    static void peerWrites(Socket peer, long from, long length, int maxPiece, long seed) throws IOException {
        peerWrites(peer, from, length, maxPiece, seed, null);
    }

    /** {@link #peerWrites} on a platform thread, then a FIN if {@code fin}. */
    static CompletableFuture<Void> peerWriter(Socket peer, long from, long length, int maxPiece, long seed,
                                              AtomicLong progress, boolean fin) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("peer-writer").daemon().start(() -> {
            try {
                peerWrites(peer, from, length, maxPiece, seed, progress);
                if (fin) {
                    peer.shutdownOutput();
                }
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** In a task: reads exactly {@code length} bytes in reads of 1 to {@code maxRead}, checking each. */
    static Void readsPattern(TcpStream stream, long from, long length, int maxRead, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[maxRead];
        long got = 0;
        while (got < length) {
            int n = stream.read(buffer, 0, (int) Math.min(length - got, 1 + random.nextInt(maxRead)));
            if (n < 0) {
                throw new AssertionError("end of stream at byte " + (from + got) + ", " + (length - got) + " more expected");
            }
            checkPattern(buffer, n, from + got);
            got += n;
        }
        return null;
    }

    /** In a task: one read of up to {@code maxRead} bytes, checked; returns the count (never -1 here). */
    static int readsSomePattern(TcpStream stream, long from, int maxRead) throws IOException {
        byte[] buffer = new byte[maxRead];
        int n = stream.read(buffer, 0, maxRead);
        if (n < 0) {
            throw new AssertionError("end of stream at byte " + from);
        }
        checkPattern(buffer, n, from);
        return n;
    }

    /**
     * Whether stream bytes [0, total) are an interleaving of {@code a} and {@code b}, each in its
     * reader's order: every byte handed out exactly once, in arrival order. Depth-first over the
     * pairs (reads of a taken, reads of b taken), each visited once; the position is the sum of
     * their lengths, and the pattern leaves almost no choice to explore.
     */
    static boolean interleaves(List<byte[]> a, List<byte[]> b, long total) {
        long[] endA = prefixLengths(a);
        long[] endB = prefixLengths(b);
        Set<Long> seen = new HashSet<>();
        ArrayDeque<int[]> pending = new ArrayDeque<>();
        pending.push(new int[] {0, 0});
        while (!pending.isEmpty()) {
            int[] at = pending.pop();
            int i = at[0];
            int j = at[1];
            long position = endA[i] + endB[j];
            if (i == a.size() && j == b.size()) {
                if (position == total) {
                    return true;
                }
                continue;
            }
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i < a.size() && matches(a.get(i), position, total)) {
                pending.push(new int[] {i + 1, j});
            }
            if (j < b.size() && matches(b.get(j), position, total)) {
                pending.push(new int[] {i, j + 1});
            }
        }
        return false;
    }

    private static long[] prefixLengths(List<byte[]> chunks) {
        long[] ends = new long[chunks.size() + 1];
        for (int k = 0; k < chunks.size(); k++) {
            ends[k + 1] = ends[k] + chunks.get(k).length;
        }
        return ends;
    }

    private static boolean matches(byte[] chunk, long position, long total) {
        if (position + chunk.length > total) {
            return false;
        }
        for (int k = 0; k < chunk.length; k++) {
            if (chunk[k] != patternAt(position + k)) {
                return false;
            }
        }
        return true;
    }
}
