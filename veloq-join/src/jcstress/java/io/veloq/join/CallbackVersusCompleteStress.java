package io.veloq.join;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Protocol steps 6 and 8: {@code onComplete} races {@code complete} on a cell nobody waits on, so
 * the completer may find the stack empty and the registrar must serve its own (withdrawn) callback.
 *
 * <p>r1 = how many times the callback ran, r2 = it saw the value, r3 = who ran it (1 the completing
 * thread, 2 the registering thread).
 */
@JCStressTest
@Description("onComplete vs complete: the callback runs exactly once, with the value")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "registered first: the completer ran it during the release")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE,
        desc = "completed first (seen before or after the push): onComplete ran it at once on the caller")
@Outcome(expect = FORBIDDEN, desc = "the callback ran never, twice, or without the value")
@State
public class CallbackVersusCompleteStress {
    private final JoinCell<String> cell = new JoinCell<>("callback-vs-complete");
    private final AtomicInteger runs = new AtomicInteger();
    private volatile String seen;
    private volatile Thread ranOn;
    private volatile Thread completerThread;
    private volatile Thread registrarThread;

    @Actor
    public void completer() {
        completerThread = Thread.currentThread();
        cell.complete("v");
    }

    @Actor
    public void registrar() {
        registrarThread = Thread.currentThread();
        cell.onComplete((v, f) -> {
            runs.incrementAndGet();
            seen = v;
            ranOn = Thread.currentThread();
        });
    }

    @Arbiter
    public void observe(III_Result r) {
        r.r1 = runs.get();
        r.r2 = "v".equals(seen) ? 1 : 0;
        Thread t = ranOn;
        r.r3 = t == completerThread ? 1 : t == registrarThread ? 2 : 0;
    }
}
