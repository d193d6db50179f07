package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Protocol steps 5 and 6, the no-waiter fast path: a joiner registers with {@code enlist} (exactly
 * what {@code JoinCell.await} does before parking: push, then re-read the state) while the task
 * completes on a cell nobody waits on yet, so the completer may skip the release entirely.
 *
 * <p>r1 = the completer found a waiter and closed the stack (only the decider closes, inside
 * {@code complete}), r2 = the joiner enlisted (it would park until claimed), r3 = the joiner is
 * served: for an enlisted node the releaser claimed it (it would be unparked); otherwise the joiner
 * sees the value itself, r4 = live nodes left on the stack afterwards (a served node is never live).
 */
@JCStressTest
@Description("joiner push + re-read vs complete's volatile head read: one of them sees the other")
@Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE,
        desc = "complete found no waiter; the joiner's re-read saw the decision, it withdrew and reads the value")
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE,
        desc = "registered in time: complete found the node and claimed it, the joiner is unparked")
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "both saw each other: the joiner withdrew before the claim (or met the tombstone) and reads the value")
@Outcome(id = {"0, 1, 0, 0", "0, 1, 0, 1", "0, 1, 1, 0", "0, 1, 1, 1"}, expect = FORBIDDEN,
        desc = "lost wake-up: complete saw no waiter and the joiner saw the task pending: it parks forever")
@Outcome(expect = FORBIDDEN, desc = "the joiner is served never, or cannot see the value, or a node stays live")
@State
public class JoinVersusCompleteStress {
    private final JoinCell<String> cell = new JoinCell<>("join-vs-complete");
    private final Waiter.Joiner node = new Waiter.Joiner(Thread.ofPlatform().unstarted(() -> { }));

    public JoinVersusCompleteStress() {
        cell.tryStart(Thread.ofPlatform().unstarted(() -> { }));
    }

    @Actor
    public void completer(IIII_Result r) {
        cell.complete("v");
        r.r1 = cell.isClosed() ? 1 : 0;
    }

    @Actor
    public void joiner(IIII_Result r) {
        if (cell.enlist(node)) {
            r.r2 = 1;
        } else {
            r.r3 = cell.isDone() && "v".equals(cell.resultNow()) ? 1 : 0;
        }
    }

    @Arbiter
    public void observe(IIII_Result r) {
        if (r.r2 == 1) {
            r.r3 = node.isClaimed() && "v".equals(cell.resultNow()) ? 1 : 0;
        }
        r.r4 = cell.liveWaiters(); // the node is the only one that could be left
    }
}
