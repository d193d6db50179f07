package io.veloq.core.sched;

/**
 * The platform thread of one worker. Its type is how the runtime recognises "I am on worker i":
 * {@code VirtualThreads.currentCarrier() instanceof WorkerThread} — for a task (a virtual thread)
 * the carrier is the worker's thread, for the worker loop itself it is the thread.
 *
 * <p>Lifecycle: started once by the scheduler; {@link #run} pins, creates the driver, runs the
 * worker loop until termination, then the thread ends.
 */
final class WorkerThread extends Thread {

    final Worker worker;

    WorkerThread(Worker worker, String name) {
        super(null, null, name, 0, false);
        this.worker = worker;
        setDaemon(false);
    }

    @Override
    public void run() {
        worker.loop.run();
    }
}
