/**
 * Timers in direct style: {@link io.veloq.io.time.Time#sleep}, {@link
 * io.veloq.io.time.Time#sleepUntil}, {@link io.veloq.io.time.Time#timeout} and {@link
 * io.veloq.io.time.Interval}, on the calling worker's timer heap (core's {@code
 * RuntimeContext.scheduleAt}), identically on both I/O backends.
 *
 * <h2>Sleep protocol</h2>
 * <ol>
 *   <li>The task schedules a timer on its own worker whose action publishes "fired" (release) and
 *       unparks the task.</li>
 *   <li>The task parks until it reads "fired" (acquire); spurious unparks loop.</li>
 *   <li>On interrupt the task removes its timer itself (it is on the owning worker, as the heap
 *       requires) and throws {@link java.lang.InterruptedException}.</li>
 * </ol>
 * The worker runs due timers between tasks only, so while a task runs its own timer cannot fire
 * under it: {@code timeout} relies on this to tell "finished in time" from "expired" without a race.
 * Timers fire when {@code nanoTime() >= deadline} on the worker, so no sleep ends early.
 */
package io.veloq.io.time;
