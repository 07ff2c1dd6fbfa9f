package io.confext.agent.apply;

import io.confext.agent.kube.GracefulStop;
import io.confext.api.v1alpha1.BundleState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The two halves of the crash tests: a driver (the agent's host side in a child JVM) that stops at a step and
 * waits, and the test side that starts it and signals it there or after a delay: SIGKILL (the agent killed), or
 * SIGTERM (the agent stopped, as on a rolling update: the driver then stops its converge the way
 * {@code WorkLoop.close()} does).
 */
final class CrashRuns {
    private CrashRuns() {}

    /** The signal the test side sends. */
    enum Signal {
        /** {@link Process#destroyForcibly()}. */
        KILL,
        /** {@link ProcessHandle#destroy()}: SIGTERM on Linux; the driver's shutdown hook runs. */
        TERM
    }

    /** System properties of a TERM driver: how long it pauses at the step, and its stop's grace (ms). */
    private static final String PAUSE = "confext.crash.pause-millis";

    private static final String GRACE = "confext.crash.grace-millis";

    /**
     * Driver side: at {@code stopAt} print "AT step" and wait to be signalled ("-" = never stop); a TERM driver may
     * be told to wait only a while and then carry on (a step in flight that finishes within the stop's grace).
     */
    static StepObserver pauseAt(String stopAt) {
        long pause = Long.getLong(PAUSE, Long.MAX_VALUE);
        return (bundle, step) -> {
            if (step.word().equals(stopAt)) {
                System.out.println("AT " + step.word());
                System.out.flush();
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** Driver side: print "DONE phase activeVersion message" for the one bundle converged, and exit. */
    static void reportDoneAndExit(List<BundleState> states) {
        reportDone(states);
        System.exit(0);
    }

    private static void reportDone(List<BundleState> states) {
        BundleState s = states.get(0);
        System.out.println("DONE " + s.getPhase() + " " + s.getActiveVersion() + " " + s.getMessage());
        System.out.flush();
    }

    /**
     * Driver side: runs {@code converge} and reports it. Started for SIGTERM, it runs it on a worker thread and stops
     * that on SIGTERM as {@code WorkLoop.close()} stops its loop: {@link HostApplier#stopping()}, then
     * {@link GracefulStop} with the grace the test gave. Prints "ABANDONED why" for a converge given up, and
     * "STOPPED finished|interrupted" when the stop is through.
     */
    static void converge(HostApplier applier, Supplier<List<BundleState>> converge) throws Exception {
        Long grace = Long.getLong(GRACE);
        if (grace == null) {
            reportDoneAndExit(converge.get());
            return;
        }
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "driver-worker"));
        Future<?> work = worker.submit(() -> {
            try {
                reportDone(converge.get());
            } catch (ConvergeAbandoned e) {
                System.out.println("ABANDONED " + e.getMessage());
                System.out.flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            applier.stopping();
            boolean finished =
                    GracefulStop.stop(worker, Duration.ofMillis(grace), GracefulStop.AFTER_INTERRUPT, "driver");
            System.out.println("STOPPED " + (finished ? "finished" : "interrupted"));
            System.out.flush();
        }));
        try {
            work.get();
        } catch (ExecutionException e) {
            System.out.println("ERROR " + e.getCause());
            System.out.flush();
        }
        worker.shutdown();
    }

    /** Test side: {@link #run(Class, Signal, long, long, int, List)} with SIGKILL. */
    static String run(Class<?> driver, int killAfterMillis, List<String> args) throws Exception {
        return run(driver, Signal.KILL, 0, 0, killAfterMillis, args);
    }

    /**
     * Test side: runs {@code driver} with {@code args} in a child JVM on this classpath; sends it {@code signal} on
     * "AT ..." or after {@code signalAfterMillis} (> 0), else returns its "DONE ..." line. SIGKILL returns the "AT"
     * line (or "KILLED"); SIGTERM returns every line the driver printed from the "AT" line on (or from "TERM" for a
     * timed one) until it exited, joined by newlines, and "EXIT code after ms" last.
     * {@code pauseMillis} / {@code graceMillis}: SIGTERM only, see {@link #pauseAt} and {@link #converge}.
     */
    static String run(
            Class<?> driver,
            Signal signal,
            long pauseMillis,
            long graceMillis,
            int signalAfterMillis,
            List<String> args)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (signal == Signal.TERM) {
            argv.add("-D" + GRACE + "=" + graceMillis);
            if (pauseMillis > 0) {
                argv.add("-D" + PAUSE + "=" + pauseMillis);
            }
        }
        argv.add(driver.getName());
        argv.addAll(args);
        Process p = new ProcessBuilder(argv)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            if (signalAfterMillis > 0) {
                if (!p.waitFor(signalAfterMillis, TimeUnit.MILLISECONDS)) {
                    if (signal == Signal.KILL) {
                        p.destroyForcibly();
                        p.waitFor();
                        return "KILLED";
                    }
                    return afterTerm(p, r, "TERM");
                }
                p.waitFor();
                if (signal == Signal.KILL) {
                    return "KILLED";
                }
                List<String> out = new ArrayList<>(List.of("EXITED BEFORE TERM"));
                r.lines().forEach(out::add);
                return String.join("\n", out);
            }
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("AT ")) {
                    if (signal == Signal.KILL) {
                        p.destroyForcibly(); // SIGKILL exactly at the step boundary
                        p.waitFor();
                        return line;
                    }
                    return afterTerm(p, r, line);
                }
                if (line.startsWith("DONE ")) {
                    p.waitFor(30, TimeUnit.SECONDS);
                    return line;
                }
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        return "EXIT " + p.exitValue();
    }

    /** SIGTERM now, then everything the driver prints until it exits (the kubelet's 30 s, then SIGKILL). */
    private static String afterTerm(Process p, BufferedReader r, String first) throws Exception {
        long start = System.nanoTime();
        // SIGTERM; Process.destroy() would also close our end of the driver's output, which we still read
        p.toHandle().destroy();
        List<String> out = new ArrayList<>(List.of(first));
        String line;
        while ((line = r.readLine()) != null) {
            out.add(line);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            out.add("KILLED after 30 s");
        }
        out.add("EXIT " + p.exitValue() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        return String.join("\n", out);
    }
}
