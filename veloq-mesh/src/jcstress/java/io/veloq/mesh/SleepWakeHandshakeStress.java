package io.veloq.mesh;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The bare {@link SleepState} handshake (package-info, "Going to sleep" steps 2–3 against
 * "Sending" steps 2 and 4), with the weakest publication the contract allows: the item is a
 * release store, the owner's re-check an acquire load.
 *
 * <p>r1 = the owner's re-check after announceSleep saw the item; r2 = the producer's notifyWork
 * saw SLEEPING and called the waker.
 */
@JCStressTest
@Outcome(id = "false, false", expect = FORBIDDEN,
        desc = "Lost wake-up: the owner's re-check missed the item and the producer saw it awake, "
                + "so the owner would park with work pending.")
@Outcome(id = "false, true", expect = ACCEPTABLE,
        desc = "Owner announced sleep first: its re-check ran before the item, the producer saw "
                + "SLEEPING and woke it.")
@Outcome(id = "true, false", expect = ACCEPTABLE,
        desc = "Producer fenced first: its load ran before SLEEPING was stored, and the owner's "
                + "re-check found the item, so it stays awake.")
@Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING,
        desc = "Both sides saw each other (fences close together): the owner finds the item and "
                + "also gets a spurious wake, which a later park absorbs.")
@State
public class SleepWakeHandshakeStress {

    private static final VarHandle ITEM;

    static {
        try {
            ITEM = MethodHandles.lookup().findVarHandle(SleepWakeHandshakeStress.class, "item", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int item;
    private boolean woken; // written by the waker, which runs on the producer's thread
    private final SleepState sleep = new SleepState(() -> woken = true);

    @Actor
    public void owner(ZZ_Result r) {
        sleep.announceSleep();
        // Acquire load: pairs with the producer's release store of the item.
        r.r1 = (int) ITEM.getAcquire(this) != 0;
    }

    @Actor
    public void producer(ZZ_Result r) {
        // Release store: the weakest publication the SleepState contract accepts.
        ITEM.setRelease(this, 1);
        sleep.notifyWork();
        r.r2 = woken;
    }
}
