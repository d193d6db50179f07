package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Protocol steps 2 and 4: {@code complete} races {@code cancel(true)} on a running cell.
 *
 * <p>r1 = complete won, r2 = cancel won, r3 = what every observer reports afterwards (1 value, 2
 * cancelled, 0 observers disagree), r4 = the runner's interrupt status as seen by the completer right
 * after {@code complete} returned. The runner is an unstarted Thread standing in for the task's
 * thread: its interrupt status is observable without interrupting a jcstress worker.
 */
@JCStressTest
@Description("complete vs cancel(true) while running: exactly one wins, observers agree, interrupt delivered before complete returns")
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE,
        desc = "complete won: every observer sees the value, the runner is never interrupted")
@Outcome(id = "0, 1, 2, 1", expect = ACCEPTABLE,
        desc = "cancel won: every observer sees the cancellation; the losing complete returned after the interrupt")
@Outcome(id = "0, 1, 2, 0", expect = FORBIDDEN,
        desc = "cancel won but complete returned before the runner was interrupted: the interrupt would leak")
@Outcome(expect = FORBIDDEN, desc = "both or neither won, or observers disagree about the outcome")
@State
public class CompleteVersusCancelStress {
    private final Thread runner = Thread.ofPlatform().unstarted(() -> { });
    private final JoinCell<String> cell = new JoinCell<>("complete-vs-cancel");
    private final AtomicInteger callbackRuns = new AtomicInteger();
    private volatile Throwable callbackFailure;
    private volatile String callbackValue;

    public CompleteVersusCancelStress() {
        cell.tryStart(runner);
        cell.onComplete((v, f) -> {
            callbackRuns.incrementAndGet();
            callbackValue = v;
            callbackFailure = f;
        });
    }

    @Actor
    public void completer(IIII_Result r) {
        r.r1 = cell.complete("v") ? 1 : 0;
        r.r4 = runner.isInterrupted() ? 1 : 0;
    }

    @Actor
    public void canceller(IIII_Result r) {
        r.r2 = cell.cancel(true) ? 1 : 0;
    }

    @Arbiter
    public void observe(IIII_Result r) {
        boolean value = cell.state() == Future.State.SUCCESS && !cell.isCancelled() && cell.isDone()
                && "v".equals(cell.resultNow()) && "v".equals(cell.join())
                && callbackRuns.get() == 1 && "v".equals(callbackValue) && callbackFailure == null;
        boolean cancelled = cell.state() == Future.State.CANCELLED && cell.isCancelled() && cell.isDone()
                && joinThrowsCancellation() && callbackRuns.get() == 1
                && callbackFailure instanceof CancellationException;
        r.r3 = value ? 1 : cancelled ? 2 : 0;
    }

    private boolean joinThrowsCancellation() {
        try {
            cell.join();
            return false;
        } catch (CancellationException expected) {
            return true;
        }
    }
}
