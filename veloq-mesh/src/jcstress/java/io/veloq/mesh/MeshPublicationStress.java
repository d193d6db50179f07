package io.veloq.mesh;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Publication through one SPSC pair of the mesh: what the sender wrote into a message before
 * {@link Mesh#send} is what the receiver reads after {@link Mesh#drain}, and order holds.
 */
public class MeshPublicationStress {

    /** A message with plain, non-final fields: only the queue's release/acquire publishes them. */
    static final class Payload {
        int a;
        int b;
    }

    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "The drain ran before the send: nothing yet.")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Received, with both fields as written.")
    @Outcome(id = {"0, 0", "1, 0", "0, 2"}, expect = FORBIDDEN,
            desc = "Received a message whose plain fields are not yet visible: publication broken.")
    @State
    public static class PlainFields {
        final Mesh<Payload> mesh = new Mesh<>(2, 4, MeshPublicationStress.sleepers(), false);

        @Actor
        public void sender() {
            Payload p = new Payload();
            p.a = 1;
            p.b = 2;
            mesh.send(0, 1, p);
        }

        @Actor
        public void receiver(II_Result r) {
            r.r1 = -1;
            r.r2 = -1;
            mesh.drain(1, 1, p -> {
                r.r1 = p.a;
                r.r2 = p.b;
            });
        }
    }

    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The drain ran before both sends.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The drain ran between the two sends.")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Both received, in order.")
    @Outcome(id = {"2, 0", "2, 1"}, expect = FORBIDDEN, desc = "The second send overtook the first.")
    @State
    public static class FifoOfTwo {
        // Capacity 4: both sends fit, so this checks the queue itself, not the overflow path.
        final Mesh<Integer> mesh = new Mesh<>(2, 4, MeshPublicationStress.sleepers(), true);

        @Actor
        public void sender() {
            mesh.send(0, 1, 1);
            mesh.send(0, 1, 2);
        }

        @Actor
        public void receiver(II_Result r) {
            int[] got = new int[2];
            int[] count = new int[1];
            mesh.drain(1, 2, m -> got[count[0]++] = m);
            r.r1 = got[0];
            r.r2 = got[1];
        }
    }

    static SleepState[] sleepers() {
        return new SleepState[] {new SleepState(() -> { }), new SleepState(() -> { })};
    }
}
