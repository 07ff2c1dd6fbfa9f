package io.confext.box;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small process that outlives the box's JVM to clean up after it. Why not PR_SET_PDEATHSIG: the kernel sends it
 * when the parent <em>thread</em> ends, and the box starts children from short-lived threads (hosts boot in a pool);
 * kube-api-test starts etcd and kube-apiserver itself, out of reach of a wrapper; and a signal to nspawn alone does
 * not unmount a host's overlay or remove its cgroup, which the watchdog's sweep does.
 * <p>
 * The watchdog reads its stdin, a pipe only this JVM holds open. A box that closes cleanly writes "disarm" and the
 * watchdog exits; when the JVM dies any other way the kernel closes the pipe, the watchdog reads end-of-file and
 * runs {@link Reaper} over the box's leftovers file. It ignores SIGINT, SIGHUP and SIGTERM, so a Ctrl-C to the
 * terminal's process group lets the box clean up itself and leaves the watchdog to cover a cleanup that dies.
 */
final class Watchdog {

    static final String DISARM = "disarm";
    private static final String SCRIPT =
            "trap '' INT HUP TERM; while read -r line; do [ \"$line\" = " + DISARM + " ] && exit 0; done; exec \"$@\"";

    private final Process process;
    private final OutputStream pipe;

    private Watchdog(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
    }

    /** Starts the watchdog of the box working in {@code workDir}; its output goes to {@code log}. */
    static Watchdog start(Path workDir, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = List.of(
                "/bin/sh",
                "-c",
                SCRIPT,
                "box-watchdog",
                java,
                "-XX:+UseSerialGC",
                "-Xmx64m",
                "-Djava.util.logging.manager=java.util.logging.LogManager",
                "-cp",
                System.getProperty("java.class.path"),
                Reaper.class.getName(),
                workDir.toString());
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new Watchdog(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the box's watchdog: " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The box cleaned up itself: the watchdog exits without doing anything. */
    void disarm() {
        try {
            pipe.write((DISARM + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.close();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException gone) {
            // the watchdog is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The box's own cleanup failed: let the watchdog sweep what is left now, as if the box had died. */
    void fire() {
        try {
            pipe.close();
            process.waitFor(2, TimeUnit.MINUTES);
        } catch (IOException gone) {
            // the watchdog is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
