package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Protocol step 1: {@code tryStart} races {@code cancel(true)} on a NEW cell. tryStart stores the
 * runner plainly and publishes it only through its STARTED CAS: a canceller whose CAS reads STARTED
 * must find that runner, never the empty slot.
 *
 * <p>r1 = tryStart won (the body would run), r2 = cancel won, r3 = the runner was interrupted, r4 =
 * the decoded state (1 cancelled before start, 2 cancelled during run, 0 anything else). The runner is
 * an unstarted Thread, so its interrupt status is observable without disturbing jcstress.
 */
@JCStressTest
@Description("tryStart vs cancel(true): a cancel before start skips the body, a cancel after it interrupts the runner")
@Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE,
        desc = "started first: the cancel found the recorded runner and interrupted it")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE,
        desc = "cancelled first: tryStart refused, the body never runs, nobody is interrupted")
@Outcome(id = "1, 1, 0, 2", expect = FORBIDDEN,
        desc = "cancel saw the task running but missed the runner: the interrupt is lost")
@Outcome(id = "1, 0, 0, 0", expect = FORBIDDEN,
        desc = "cancel lost although nothing completed the task")
@Outcome(expect = FORBIDDEN, desc = "any other combination breaks the start/cancel protocol")
@State
public class StartVersusCancelStress {
    private final Thread runner = Thread.ofPlatform().unstarted(() -> { });
    private final JoinCell<String> cell = new JoinCell<>("start-vs-cancel");

    @Actor
    public void starter(IIII_Result r) {
        r.r1 = cell.tryStart(runner) ? 1 : 0;
    }

    @Actor
    public void canceller(IIII_Result r) {
        r.r2 = cell.cancel(true) ? 1 : 0;
    }

    @Arbiter
    public void observe(IIII_Result r) {
        r.r3 = runner.isInterrupted() ? 1 : 0;
        String s = cell.toString();
        r.r4 = s.contains("CANCELLED(before start)") ? 1 : s.contains("CANCELLED(during run)") ? 2 : 0;
    }
}
