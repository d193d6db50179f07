package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.CancellationException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Protocol steps 4 to 6 on the cancel side: a joiner registers with {@code enlist} while {@code
 * cancel(true)} decides a running task through INTERRUPTING, whose release comes only after the
 * interrupt and the CANCELLED store (the handshake's write is the INTERRUPTING CAS).
 *
 * <p>r1 = the canceller found a waiter and closed the stack, r2 = the joiner enlisted (it would park
 * until claimed), r3 = the joiner is served with a cancellation (claimed if enlisted, else it sees
 * the cancellation itself), r4 = the runner was interrupted (always: cancel won on a running task).
 */
@JCStressTest
@Description("joiner push + re-read vs cancel(true)'s volatile head read: one of them sees the other")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE,
        desc = "cancel found no waiter; the joiner's re-read saw the cancellation and it withdrew")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE,
        desc = "registered in time: cancel found the node and claimed it")
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "both saw each other: the joiner withdrew before the claim (or met the tombstone)")
@Outcome(id = {"0, 1, 0, 0", "0, 1, 0, 1", "0, 1, 1, 0", "0, 1, 1, 1"}, expect = FORBIDDEN,
        desc = "lost wake-up: cancel saw no waiter and the joiner saw the task pending: it parks forever")
@Outcome(expect = FORBIDDEN, desc = "the joiner is served never or without the cancellation, or no interrupt")
@State
public class JoinVersusCancelStress {
    private final Thread runner = Thread.ofPlatform().unstarted(() -> { });
    private final JoinCell<String> cell = new JoinCell<>("join-vs-cancel");
    private final Waiter.Joiner node = new Waiter.Joiner(Thread.ofPlatform().unstarted(() -> { }));

    public JoinVersusCancelStress() {
        cell.tryStart(runner);
    }

    @Actor
    public void canceller(IIII_Result r) {
        cell.cancel(true);
        r.r1 = cell.isClosed() ? 1 : 0;
    }

    @Actor
    public void joiner(IIII_Result r) {
        if (cell.enlist(node)) {
            r.r2 = 1;
        } else {
            r.r3 = cell.isCancelled() && joinThrowsCancellation() ? 1 : 0;
        }
    }

    @Arbiter
    public void observe(IIII_Result r) {
        if (r.r2 == 1) {
            r.r3 = node.isClaimed() && joinThrowsCancellation() ? 1 : 0;
        }
        r.r4 = runner.isInterrupted() ? 1 : 0;
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
