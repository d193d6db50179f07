package io.veloq.core.sched;

/**
 * The fields a worker writes on every round or hand-off, on cache lines of their own.
 *
 * <p>Why: another worker reads the target {@link Worker}'s immutable fields on every send (its
 * {@code execute}), and an idle worker's loop writes its round state many times a microsecond. When
 * both share a 64-byte line, every send to that worker first waits for the line to come back from
 * the owner's cache (one cross-core miss on the critical path of every mesh hop), and the owner's
 * next write waits for it in turn. Objects built together sit next to each other on the heap (a
 * worker's {@code WorkerLoop} is followed by the next {@code Worker}), so the state is kept apart
 * with 64 bytes of padding before and after it: the padding bytes of {@link OwnerRoundStatePad} come
 * first in the object, and the layout puts a class's byte fields after its wider ones, so the bytes
 * below end the object (what remains of them after filling the holes between the fields is at
 * least 62 bytes, plus the object's 8-byte alignment).
 *
 * <p>Threading contract: owner only — the worker's platform thread and the virtual threads mounted
 * on it (one OS thread), so every field is plain. Lifecycle: one per worker, built with it.
 */
final class OwnerRoundState extends OwnerRoundStateFields {
    byte q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    byte q16, q17, q18, q19, q20, q21, q22, q23, q24, q25, q26, q27, q28, q29, q30, q31;
    byte q32, q33, q34, q35, q36, q37, q38, q39, q40, q41, q42, q43, q44, q45, q46, q47;
    byte q48, q49, q50, q51, q52, q53, q54, q55, q56, q57, q58, q59, q60, q61, q62, q63;
}

/** The owner-written fields; see {@link OwnerRoundState}. */
abstract class OwnerRoundStateFields extends OwnerRoundStatePad {
    /** What is left of the current run phase's budget; 0 outside the run phase. */
    int roundBudget;
    /** Which queue the run phase polls first next time: alternates so neither starves. */
    boolean preferStealable;
    /** Set while a runner is started on the worker thread: its first continuation is captured. */
    boolean capturing;
    /** The continuation captured while {@link #capturing}. */
    Runnable captured;
    /** Tasks spawned here, for the occasional "wake a peer to steal" check. */
    int spawnCounter;
    /** The load hint last published ({@code Worker.publishLoad} stores only a change). */
    int publishedLoad;
}

/** 64 bytes laid out before {@link OwnerRoundStateFields}. */
abstract class OwnerRoundStatePad {
    byte p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    byte p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
    byte p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;
    byte p48, p49, p50, p51, p52, p53, p54, p55, p56, p57, p58, p59, p60, p61, p62, p63;
}
