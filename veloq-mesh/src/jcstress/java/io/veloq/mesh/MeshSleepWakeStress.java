package io.veloq.mesh;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZZ_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The sleep/wake handshake through the real mesh: worker 0 sends to worker 1 while worker 1
 * announces sleep and re-checks with {@link Mesh#hasInbound}. Run for the scanning variant (the
 * default below {@value Mesh#HINT_THRESHOLD} workers) and the inbound-hint variant.
 */
public class MeshSleepWakeStress {

    /** Shared state: a two-worker mesh whose worker-1 waker records that it ran. */
    abstract static class TwoWorkers {
        boolean woken; // written by the waker, which runs on the sender's thread
        final Mesh<Integer> mesh;
        final SleepState ownerSleep = new SleepState(() -> woken = true);

        TwoWorkers(boolean hints) {
            mesh = new Mesh<>(2, 4, new SleepState[] {new SleepState(() -> { }), ownerSleep}, hints);
        }

        /** Worker 1 going to sleep: announce, then re-check (package-info, sleeping steps 2–3). */
        boolean announceAndRecheck() {
            ownerSleep.announceSleep();
            return mesh.hasInbound(1);
        }

        /** Worker 0: send (which notifies worker 1), then report whether the waker ran. */
        boolean sendAndReportWake() {
            mesh.send(0, 1, 42);
            return woken;
        }
    }

    /*
     * Outcomes for the plain handshake, r1 = worker 1's re-check saw the message,
     * r2 = worker 0's send saw SLEEPING and called the waker.
     */

    @JCStressTest
    @Outcome(id = "false, false", expect = FORBIDDEN,
            desc = "Lost wake-up: hasInbound said nothing after announceSleep and the sender saw "
                    + "the owner awake; the owner would park with the message queued.")
    @Outcome(id = "false, true", expect = ACCEPTABLE,
            desc = "Owner announced first: re-check ran before the offer; the sender woke it.")
    @Outcome(id = "true, false", expect = ACCEPTABLE,
            desc = "Sender fenced first: the re-check saw the message; no wake needed.")
    @Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Both saw each other: the owner stays awake and also gets a spurious wake.")
    @State
    public static class Scanning extends TwoWorkers {
        public Scanning() {
            super(false);
        }

        @Actor
        public void owner(ZZ_Result r) {
            r.r1 = announceAndRecheck();
        }

        @Actor
        public void sender(ZZ_Result r) {
            r.r2 = sendAndReportWake();
        }
    }

    @JCStressTest
    @Outcome(id = "false, false", expect = FORBIDDEN,
            desc = "Lost wake-up: hint[1] read 0 after announceSleep and the sender saw the owner "
                    + "awake; the owner would park with the message queued.")
    @Outcome(id = "false, true", expect = ACCEPTABLE,
            desc = "Owner announced first: its hint load ran before the sender's hint store; the "
                    + "sender woke it.")
    @Outcome(id = "true, false", expect = ACCEPTABLE,
            desc = "Sender fenced first: the owner read hint = 1; no wake needed.")
    @Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Both saw each other: the owner stays awake and also gets a spurious wake.")
    @State
    public static class Hinted extends TwoWorkers {
        public Hinted() {
            super(true);
        }

        @Actor
        public void owner(ZZ_Result r) {
            r.r1 = announceAndRecheck();
        }

        @Actor
        public void sender(ZZ_Result r) {
            r.r2 = sendAndReportWake();
        }
    }

    /*
     * A full idle step of the owner: drain once (with hints this clears hint[1] before scanning),
     * then announce sleep and re-check. r1 = messages drained, r2 = re-check saw inbound,
     * r3 = the sender woke the owner. The forbidden case is the message stranded: not drained,
     * not seen by the re-check, no wake. With hints it checks drain step 2 (clear, then scan).
     */

    @JCStressTest
    @Outcome(id = "0, false, false", expect = FORBIDDEN,
            desc = "Stranded: the drain missed the message, its clear erased the sender's hint, "
                    + "and the sleep re-check and the sender both missed each other.")
    @Outcome(id = "0, false, true", expect = ACCEPTABLE,
            desc = "The message arrived after the drain and the re-check; the sender woke the owner.")
    @Outcome(id = "0, true, false", expect = ACCEPTABLE,
            desc = "The message arrived after the drain; the re-check saw it.")
    @Outcome(id = "0, true, true", expect = ACCEPTABLE_INTERESTING,
            desc = "After the drain; the re-check saw it and a spurious wake was sent too.")
    @Outcome(id = "1, false, false", expect = ACCEPTABLE,
            desc = "Drained before the owner announced sleep; nothing left, no wake.")
    @Outcome(id = "1, true, false", expect = ACCEPTABLE_INTERESTING,
            desc = "Drained, yet the re-check answered true: with hints, a sender's late hint "
                    + "store for an already-drained message (spurious, one empty scan).")
    @Outcome(id = "1, false, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Drained; the sender's state load ran after announceSleep: spurious wake.")
    @Outcome(id = "1, true, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Drained; late hint and spurious wake together.")
    @State
    public static class DrainThenSleepHinted extends TwoWorkers {
        public DrainThenSleepHinted() {
            super(true);
        }

        @Actor
        public void owner(IZZ_Result r) {
            r.r1 = mesh.drain(1, 4, m -> { });
            r.r2 = announceAndRecheck();
        }

        @Actor
        public void sender(IZZ_Result r) {
            r.r3 = sendAndReportWake();
        }
    }

    @JCStressTest
    @Outcome(id = "0, false, false", expect = FORBIDDEN,
            desc = "Stranded: the message was neither drained nor seen by the re-check, and the "
                    + "sender saw the owner awake.")
    @Outcome(id = "0, false, true", expect = ACCEPTABLE,
            desc = "The message arrived after the drain and the re-check; the sender woke the owner.")
    @Outcome(id = "0, true, false", expect = ACCEPTABLE,
            desc = "The message arrived after the drain; the re-check saw it.")
    @Outcome(id = "0, true, true", expect = ACCEPTABLE_INTERESTING,
            desc = "After the drain; the re-check saw it and a spurious wake was sent too.")
    @Outcome(id = "1, false, false", expect = ACCEPTABLE,
            desc = "Drained before the owner announced sleep; nothing left, no wake.")
    @Outcome(id = "1, false, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Drained; the sender's state load ran after announceSleep: spurious wake.")
    @State
    public static class DrainThenSleepScanning extends TwoWorkers {
        public DrainThenSleepScanning() {
            super(false);
        }

        @Actor
        public void owner(IZZ_Result r) {
            r.r1 = mesh.drain(1, 4, m -> { });
            r.r2 = announceAndRecheck();
        }

        @Actor
        public void sender(IZZ_Result r) {
            r.r3 = sendAndReportWake();
        }
    }
}
