package io.confext.box;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * One run of the box, whichever mode: what it starts is registered here and closed in reverse on the way out,
 * at once with {@code --exit-after-rollout}, else on Ctrl-C (a shutdown hook) after the box stayed up.
 */
final class BoxRun {

    /** The part of a run that differs by mode; returns the exit code (0 once the sample is rolled out). */
    interface Body {
        int run(BoxRun run) throws InterruptedException;
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final PrintStream out;

    private BoxRun(PrintStream out) {
        this.out = out;
    }

    /** Registers something to close when the run ends; returns it. */
    synchronized <T extends AutoCloseable> T closeAtEnd(T thing) {
        started.push(thing);
        return thing;
    }

    static int run(BoxArguments args, PrintStream out, String what, Body body) {
        BoxRun run = new BoxRun(out);
        Thread cleanup = new Thread(() -> run.closeAll(what), "box-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            int exit = body.run(run);
            if (args.exitAfterRollout()) {
                return exit;
            }
            out.println("[box] running; press Ctrl-C to stop and clean up");
            new CountDownLatch(1).await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            out.println("[box] FAILED: " + e.getMessage());
            e.printStackTrace(out);
            return 1;
        } finally {
            if (args.exitAfterRollout()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                    cleanup.run();
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    private synchronized void closeAll(String what) {
        out.println("[box] shutting down: " + what);
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                out.println("[box] cleanup step failed: " + e.getMessage());
            }
        }
        out.println("[box] cleaned up");
    }
}
