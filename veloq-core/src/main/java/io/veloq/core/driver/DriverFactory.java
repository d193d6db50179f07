package io.veloq.core.driver;

/**
 * Creates one {@link Driver} per worker. Called on the worker's own thread, after pinning, so
 * that everything the driver allocates is first touched by its owner.
 */
@FunctionalInterface
public interface DriverFactory {

    /**
     * Checks, once per runtime and before any worker starts, on the thread building the runtime,
     * what can be checked for all {@code workerCount} drivers together (kernel support, memory
     * limits that every worker's driver counts against), so that a runtime either gets this
     * factory's driver on every worker or learns at once why not. The default checks nothing.
     *
     * @throws Exception saying why this factory cannot serve {@code workerCount} workers
     */
    default void prepare(int workerCount) throws Exception {
    }

    /** @param workerIndex the worker's index, 0 to workerCount - 1 */
    Driver create(int workerIndex) throws Exception;
}
