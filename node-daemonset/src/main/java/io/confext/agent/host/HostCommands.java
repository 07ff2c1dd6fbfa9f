package io.confext.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command inside all namespaces of the host's PID (mount, PID, UTS, IPC, network, cgroup, user):
 * {@code nsenter -t PID -a}. The JDK cannot setns(2) itself, and nsenter is the audited tool for it.
 */
public final class HostCommands {
    private final long hostPid;

    public HostCommands(long hostPid) {
        this.hostPid = hostPid;
    }

    public CommandResult run(Duration timeout, String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(hostPid), "-a", "--"));
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new CommandResult(
                        List.of(command), -1, out.join(), err.join() + "\n(timed out after " + timeout + ")");
            }
            return new CommandResult(List.of(command), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run nsenter for host pid " + hostPid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs the command and fails with its output when it does not exit 0. */
    public CommandResult runOk(Duration timeout, String... command) {
        CommandResult r = run(timeout, command);
        if (r.exitCode() != 0) {
            throw new HostCommandException(r);
        }
        return r;
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
