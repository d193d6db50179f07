/**
 * Per-worker timers: a binary heap owned by one worker, feeding the worker's park deadline.
 * Tasks reach their worker's timers through {@code RuntimeContext.scheduleAt}; actions run on the
 * worker's platform thread between tasks. The JDK's own timed parks ({@code Thread.sleep},
 * {@code LockSupport.parkNanos}) do not use these timers: the JDK's unparker threads resume such
 * tasks through the worker's injector.
 */
package io.veloq.core.timer;
