package io.veloq.core.driver;

/**
 * Creates one {@link Driver} per worker. Called on the worker's own thread, after pinning, so
 * that everything the driver allocates is first touched by its owner.
 */
@FunctionalInterface
public interface DriverFactory {

    /** @param workerIndex the worker's index, 0 to workerCount - 1 */
    Driver create(int workerIndex) throws Exception;
}
