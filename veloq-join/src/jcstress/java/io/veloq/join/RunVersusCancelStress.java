package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Protocol steps 1 to 4 along the runtime's fast path: the task is started (runner stored plainly,
 * published by the STARTED CAS) and completes at once with nobody waiting, racing {@code
 * cancel(true)} from another thread.
 *
 * <p>r1 = tryStart won (the body runs), r2 = complete won, r3 = the runner's interrupt status right
 * after complete returned (or after the skipped body), r4 = cancel won. The runner is an unstarted
 * Thread standing in for the task's thread, so its interrupt status is observable without
 * interrupting a jcstress worker.
 */
@JCStressTest
@Description("tryStart + complete vs cancel(true): cancel interrupts the recorded runner, or finds NEW, or loses")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "ran and completed first: cancel lost, nobody interrupted")
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE,
        desc = "cancelled during the run: the runner was interrupted before the losing complete returned")
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE,
        desc = "cancelled before start: the body is skipped, nobody interrupted")
@Outcome(id = "1, 0, 0, 1", expect = FORBIDDEN,
        desc = "cancel won during the run but the runner was not interrupted (stale runner slot, or interrupt late)")
@Outcome(expect = FORBIDDEN, desc = "any other combination breaks the start/complete/cancel protocol")
@State
public class RunVersusCancelStress {
    private final Thread runner = Thread.ofPlatform().unstarted(() -> { });
    private final JoinCell<String> cell = new JoinCell<>("run-vs-cancel");

    @Actor
    public void task(IIII_Result r) {
        if (cell.tryStart(runner)) {
            r.r1 = 1;
            r.r2 = cell.complete("v") ? 1 : 0;
        }
        r.r3 = runner.isInterrupted() ? 1 : 0;
    }

    @Actor
    public void canceller(IIII_Result r) {
        r.r4 = cell.cancel(true) ? 1 : 0;
    }
}
