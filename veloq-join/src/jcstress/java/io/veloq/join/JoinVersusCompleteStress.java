package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Protocol steps 5 and 6 without parking: a joiner registers (exactly as {@code JoinCell.await} does:
 * check the state, then push a node) while the task completes.
 *
 * <p>r1 = the joiner's node was pushed (it would park), r2 = for a pushed node: the releaser claimed
 * it (it would be unparked); for a joiner that did not push: it saw the published value itself.
 */
@JCStressTest
@Description("joiner registration vs completion: a joiner never misses the completion")
@Outcome(id = "1, 1", expect = ACCEPTABLE,
        desc = "registered before the release: the releaser claimed the node, the joiner is unparked")
@Outcome(id = "0, 1", expect = ACCEPTABLE,
        desc = "the outcome came first: the joiner saw it (done, or the push met the tombstone) without parking")
@Outcome(id = "1, 0", expect = FORBIDDEN,
        desc = "lost wake-up: the node was registered but never claimed, the joiner would park forever")
@Outcome(id = "0, 0", expect = FORBIDDEN,
        desc = "the joiner did not register but could not see the value: it would report nothing")
@State
public class JoinVersusCompleteStress {
    private final JoinCell<String> cell = new JoinCell<>("join-vs-complete");
    private final Waiter.Joiner node = new Waiter.Joiner(Thread.ofPlatform().unstarted(() -> { }));

    public JoinVersusCompleteStress() {
        cell.tryStart(Thread.ofPlatform().unstarted(() -> { }));
    }

    @Actor
    public void completer() {
        cell.complete("v");
    }

    @Actor
    public void joiner(II_Result r) {
        if (!cell.isDone() && cell.push(node)) {
            r.r1 = 1;
        } else {
            r.r1 = 0;
            r.r2 = cell.isDone() && "v".equals(cell.resultNow()) ? 1 : 0;
        }
    }

    @Arbiter
    public void observe(II_Result r) {
        if (r.r1 == 1) {
            r.r2 = node.isClaimed() ? 1 : 0;
        }
    }
}
