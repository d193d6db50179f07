package io.veloq.core.sched;

/** Where a spawned task goes; see {@code io.veloq.core.Runtime} for the user-facing rules. */
public enum Placement {
    /** The spawning worker's stealable queue (from outside: a random worker's injector). */
    SPAWN,
    /** The spawning worker's own run queue; never stolen; only from inside the runtime. */
    LOCAL,
    /** A given worker, through the mesh (from a worker) or its injector (from outside). */
    ON,
    /** The less loaded of two random workers, through the mesh or the injector. */
    BALANCED,
    /** The blocking pool of platform threads. */
    BLOCKING
}
