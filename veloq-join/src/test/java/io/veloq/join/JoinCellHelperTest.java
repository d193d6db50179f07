package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link JoinHelper} hook: when join and get ask it, and what they do with its answer. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JoinCellHelperTest {

    /** A helper that runs the task body on the joiner, as a runtime's inline join does. */
    private static final class InlineHelper implements JoinHelper {
        final JoinCell<Integer> cell;
        final AtomicInteger calls = new AtomicInteger();
        volatile Thread ranOn;

        InlineHelper(JoinCell<Integer> cell) {
            this.cell = cell;
        }

        @Override
        public boolean helpJoin() {
            calls.incrementAndGet();
            if (!cell.tryStart(Thread.currentThread())) {
                return false;
            }
            ranOn = Thread.currentThread();
            cell.complete(42);
            return true;
        }
    }

    @Test
    void joinLetsTheHelperSettleTheCellOnTheJoinersThread() {
        JoinCell<Integer> cell = new JoinCell<>("helped");
        InlineHelper helper = new InlineHelper(cell);
        cell.helper(helper);
        assertEquals(42, cell.join());
        assertEquals(Thread.currentThread(), helper.ranOn);
        assertEquals(1, helper.calls.get());
        assertEquals(42, cell.join(), "a decided cell does not ask the helper again");
        assertEquals(1, helper.calls.get());
    }

    @Test
    void getAsksTheHelperToo() throws Exception {
        JoinCell<Integer> cell = new JoinCell<>("helped-get");
        InlineHelper helper = new InlineHelper(cell);
        cell.helper(helper);
        assertEquals(42, cell.get());
        assertEquals(1, helper.calls.get());
    }

    @Test
    void anInterruptedGetThrowsWithoutAskingTheHelper() {
        JoinCell<Integer> cell = new JoinCell<>("interrupted-get");
        InlineHelper helper = new InlineHelper(cell);
        cell.helper(helper);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, cell::get);
        assertEquals(0, helper.calls.get());
        assertTrue(cell.tryStart(Thread.currentThread()), "the task is still unstarted");
    }

    @Test
    void aTimedGetNeverAsksTheHelper() {
        JoinCell<Integer> cell = new JoinCell<>("timed-get");
        InlineHelper helper = new InlineHelper(cell);
        cell.helper(helper);
        assertThrows(TimeoutException.class, () -> cell.get(1, TimeUnit.MILLISECONDS));
        assertEquals(0, helper.calls.get());
    }

    @Test
    void aHelperThatDeclinesLeavesTheJoinerParkedUntilTheTaskEnds() throws Exception {
        JoinCell<Integer> cell = new JoinCell<>("declined");
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch asked = new CountDownLatch(1);
        cell.helper(() -> {
            calls.incrementAndGet();
            asked.countDown();
            return false;
        });
        Thread completer = Thread.ofPlatform().start(() -> {
            try {
                assertTrue(asked.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertTrue(cell.tryStart(Thread.currentThread()));
            cell.complete(7);
        });
        assertEquals(7, cell.join());
        completer.join();
        assertEquals(1, calls.get());
    }

    @Test
    void aRemovedHelperIsNotAsked() {
        JoinCell<Integer> cell = new JoinCell<>("removed");
        InlineHelper helper = new InlineHelper(cell);
        cell.helper(helper);
        cell.helper(null);
        cell.cancel(false);
        assertThrows(java.util.concurrent.CancellationException.class, cell::join);
        assertEquals(0, helper.calls.get());
    }
}
