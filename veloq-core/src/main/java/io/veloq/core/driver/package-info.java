/**
 * The driver SPI and the portable driver.
 *
 * <p>A {@link io.veloq.core.driver.Driver} is a worker's I/O and idle-wait backend: created by a
 * {@link io.veloq.core.driver.DriverFactory} on the worker's thread after pinning, polled every
 * round, parked when the worker sleeps (timeout = the worker's earliest timer), woken by any thread,
 * closed when the worker exits. {@link io.veloq.core.driver.PortableDriver} parks with
 * {@code LockSupport}; the io_uring driver ({@code veloq-io-uring}) implements the same SPI.
 *
 * <h2>Choosing a driver ({@link io.veloq.core.driver.Drivers})</h2>
 * <ol>
 *   <li>{@code RuntimeBuilder.driverFactory(f)}: {@code f}, as is; its failure fails the start.</li>
 *   <li>{@code -Dveloq.driver=portable}: the portable driver.</li>
 *   <li>Else the first {@code DriverFactory} service ({@code ServiceLoader}), wrapped so that a
 *       worker whose driver it cannot create falls back to the portable driver (one warning).</li>
 *   <li>Else the portable driver.</li>
 * </ol>
 *
 * <h2>The portable wake protocol</h2>
 * <ol>
 *   <li>{@code wake()}: getAndSet(woken, true); if it was false, {@code unpark(owner)}.</li>
 *   <li>{@code park()}: getAndSet(woken, false); if it was true, return at once; else park until
 *       the deadline. The flag is never cleared after parking.</li>
 * </ol>
 * A wake after a park returned leaves the flag set, so the next park returns at once (at worst one
 * spurious return). Clearing the flag after parking instead would lose a wake that lands between
 * the park's return and the clear, when its getAndSet saw true and skipped the unpark.
 */
package io.veloq.core.driver;
