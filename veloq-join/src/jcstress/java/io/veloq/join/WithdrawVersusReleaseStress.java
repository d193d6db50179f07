package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Protocol step 7: a registered joiner that times out withdraws while the task completes and the
 * releaser claims the same node.
 *
 * <p>r1 = the joiner withdrew (it throws TimeoutException and must never be unparked), r2 = a joiner
 * that lost the withdrawal sees the value, r3 = live nodes left on the stack after both (always 0:
 * either withdrawn and unlinked, or claimed).
 */
@JCStressTest
@Description("timed-out joiner withdrawing vs the releaser claiming: exactly one of them takes the node")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE,
        desc = "withdrew first: the joiner reports a timeout, the releaser skips the node (no unpark)")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE,
        desc = "claimed first: the joiner reports the value it can see; it receives the one unpark")
@Outcome(id = "0, 0, 0", expect = FORBIDDEN,
        desc = "claimed but the value is not visible to the joiner")
@Outcome(expect = FORBIDDEN, desc = "a node still live after both: it would be released never or twice")
@State
public class WithdrawVersusReleaseStress {
    private final JoinCell<String> cell = new JoinCell<>("withdraw-vs-release");
    private final Waiter.Joiner node = new Waiter.Joiner(Thread.ofPlatform().unstarted(() -> { }));

    public WithdrawVersusReleaseStress() {
        cell.tryStart(Thread.ofPlatform().unstarted(() -> { }));
        if (!cell.push(node)) {
            throw new IllegalStateException("fresh cell refused a node");
        }
    }

    @Actor
    public void completer() {
        cell.complete("v");
    }

    @Actor
    public void timedOutJoiner(III_Result r) {
        if (node.withdraw()) {
            r.r1 = 1;
            cell.unlinkWithdrawn();
        } else {
            r.r2 = cell.isDone() && "v".equals(cell.resultNow()) ? 1 : 0;
        }
    }

    @Arbiter
    public void observe(III_Result r) {
        r.r3 = cell.liveWaiters() + (node.isLive() ? 1 : 0);
    }
}
