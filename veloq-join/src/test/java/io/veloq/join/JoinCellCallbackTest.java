package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Completion callbacks and the CompletionStage view. */
@Timeout(10)
class JoinCellCallbackTest {

    @Test
    void callbacksRegisteredBeforeCompletionRunOnceInOrderOnTheCompletingThread() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        List<String> calls = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            cell.onComplete((v, f) -> {
                calls.add(id + ":" + v + ":" + f);
                threads.add(Thread.currentThread());
            });
        }
        assertTrue(calls.isEmpty(), "nothing runs before completion");
        Thread completer = Thread.ofPlatform().start(() -> cell.complete("v"));
        completer.join();
        assertEquals(List.of("0:v:null", "1:v:null", "2:v:null"), calls);
        assertEquals(List.of(completer, completer, completer), threads);
        assertFalse(cell.complete("again"));
        assertEquals(3, calls.size(), "no second run");
    }

    @Test
    void callbackRegisteredAfterCompletionRunsAtOnceOnTheCaller() {
        JoinCell<String> cell = new JoinCell<>("t");
        cell.complete("v");
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        cell.onComplete((v, f) -> {
            assertEquals("v", v);
            assertNull(f);
            runs.incrementAndGet();
            ranOn.set(Thread.currentThread());
        });
        assertEquals(1, runs.get());
        assertSame(Thread.currentThread(), ranOn.get());
    }

    @Test
    void callbacksReceiveTheRawFailureOrACancellation() {
        JoinCell<String> failed = new JoinCell<>("failed");
        AtomicReference<Throwable> before = new AtomicReference<>();
        failed.onComplete((v, f) -> before.set(f));
        IllegalStateException boom = new IllegalStateException("boom");
        failed.completeExceptionally(boom);
        AtomicReference<Throwable> after = new AtomicReference<>();
        failed.onComplete((v, f) -> after.set(f));
        assertSame(boom, before.get());
        assertSame(boom, after.get());

        JoinCell<String> cancelled = new JoinCell<>("cancelled");
        AtomicReference<Throwable> onCancel = new AtomicReference<>();
        cancelled.onComplete((v, f) -> onCancel.set(f));
        cancelled.cancel(false);
        assertInstanceOf(CancellationException.class, onCancel.get());
        assertTrue(onCancel.get().getMessage().contains("cancelled"), onCancel.get().getMessage());
    }

    @Test
    void throwingCallbackGoesToTheUncaughtHandlerAndOthersStillRun() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        AtomicInteger later = new AtomicInteger();
        RuntimeException bad = new RuntimeException("bad callback");
        cell.onComplete((v, f) -> {
            throw bad;
        });
        cell.onComplete((v, f) -> later.incrementAndGet());
        AtomicReference<Throwable> reported = new AtomicReference<>();
        AtomicReference<Boolean> completeResult = new AtomicReference<>();
        Thread completer = Thread.ofPlatform()
                .uncaughtExceptionHandler((t, e) -> reported.set(e))
                .start(() -> completeResult.set(cell.complete("v")));
        completer.join();
        assertTrue(completeResult.get(), "complete itself succeeds");
        assertSame(bad, reported.get());
        assertEquals(1, later.get());
        assertEquals("v", cell.join());
    }

    @Test
    void stageCompletesWithTheValue() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        CompletionStage<String> stage = cell.toCompletionStage();
        CompletableFuture<Integer> length = stage.thenApply(String::length).toCompletableFuture();
        assertFalse(length.isDone());
        cell.complete("four");
        assertEquals(4, length.get(5, TimeUnit.SECONDS));
        assertEquals("four", cell.toCompletionStage().toCompletableFuture().getNow("absent"));
    }

    @Test
    void stageReportsFailureAndCancellation() {
        JoinCell<String> failed = new JoinCell<>("failed");
        CompletableFuture<String> view = failed.toCompletionStage().toCompletableFuture();
        IllegalStateException boom = new IllegalStateException("boom");
        failed.completeExceptionally(boom);
        ExecutionException e = assertThrows(ExecutionException.class, view::get);
        assertSame(boom, e.getCause());
        CompletionException dependent = assertThrows(CompletionException.class,
                () -> failed.toCompletionStage().thenApply(String::length).toCompletableFuture().join());
        assertSame(boom, dependent.getCause());

        JoinCell<String> cancelled = new JoinCell<>("cancelled");
        CompletableFuture<String> cancelledView = cancelled.toCompletionStage().toCompletableFuture();
        cancelled.cancel(true);
        assertTrue(cancelledView.isCancelled());
        assertThrows(CancellationException.class, cancelledView::join);
    }

    @Test
    void completingOrCancellingTheStageDoesNotAffectTheTask() {
        JoinCell<String> cell = new JoinCell<>("t");
        CompletableFuture<String> forged = cell.toCompletionStage().toCompletableFuture();
        CompletableFuture<String> cancelledView = cell.toCompletionStage().toCompletableFuture();
        CompletionStage<String> stage = cell.toCompletionStage();
        assertTrue(forged.complete("forged"));
        assertTrue(cancelledView.cancel(true));
        assertFalse(cell.isDone());
        assertFalse(stage.toCompletableFuture().isDone(), "views are independent of each other");
        assertTrue(cell.tryStart(Thread.currentThread()));
        assertFalse(Thread.interrupted(), "cancelling a view must not interrupt anything");
        assertTrue(cell.complete("real"));
        assertEquals("real", stage.toCompletableFuture().join());
        assertEquals("forged", forged.join());
        assertTrue(cancelledView.isCancelled());
        assertEquals("real", cell.toCompletionStage().toCompletableFuture().join());
    }
}
