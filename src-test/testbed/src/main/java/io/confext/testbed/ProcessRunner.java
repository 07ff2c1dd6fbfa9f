package io.confext.testbed;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command on the outer machine with a clean, fixed environment (the JVM's own environment, with
 * Maven's and the CI's variables, must not leak into the test hosts), stdin from /dev/null, and a timeout.
 */
public final class ProcessRunner {

    public static final Map<String, String> CLEAN_ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG", "C.UTF-8",
            "TERM", "dumb",
            "SYSTEMD_PAGER", "cat",
            "SYSTEMD_COLORS", "0",
            "SYSTEMD_LOG_COLOR", "0");

    private ProcessRunner() {}

    public static ExecResult run(List<String> argv, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(CLEAN_ENV);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TestbedException("cannot start `" + String.join(" ", argv) + "`: " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new TestbedException("`" + String.join(" ", argv) + "` did not finish within " + timeout
                        + "\n--- stdout so far ---\n" + out.getNow("") + "\n--- stderr so far ---\n" + err.getNow(""));
            }
            return new ExecResult(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new TestbedException("interrupted while running `" + String.join(" ", argv) + "`", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TestbedException("cannot read the output of `" + String.join(" ", argv) + "`", e);
        }
    }

    public static ExecResult runOk(List<String> argv, Duration timeout) {
        ExecResult r = run(argv, timeout);
        if (!r.ok()) {
            throw new TestbedException(r.describe(argv));
        }
        return r;
    }

    /** One thread per stream: the common pool may have a single thread on small machines and would deadlock. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try (in) {
                        ByteArrayOutputStream buf = new ByteArrayOutputStream();
                        in.transferTo(buf);
                        result.complete(buf.toString(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        result.completeExceptionally(new UncheckedIOException(e));
                    }
                },
                "testbed-drain");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
