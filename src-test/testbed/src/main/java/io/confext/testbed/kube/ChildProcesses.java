package io.confext.testbed.kube;

import io.confext.testbed.ProcessRunner;
import io.confext.testbed.TestbedException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The control-plane processes of one test cluster. Each is recorded as {@code <stateDir>/<name>.pid} with its
 * start time, so that {@link #sweep(Path)} can end exactly the processes of a run that was killed before it
 * could clean up (a recycled PID has another start time and is left alone).
 */
public final class ChildProcesses {

    private static final Logger LOG = Logger.getLogger(ChildProcesses.class.getName());
    private final Path stateDir;
    private final Map<String, Process> running = new LinkedHashMap<>();

    public ChildProcesses(Path stateDir) {
        this.stateDir = stateDir;
        ControlPlane.mkdirs(stateDir);
    }

    /** Ends every process recorded under {@code stateDir} that still runs, and forgets the records. */
    public static void sweep(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                String[] parts = Files.readString(f).strip().split(" ");
                long pid = Long.parseLong(parts[0]);
                Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (h.isPresent()
                        && h.get()
                                .info()
                                .startInstant()
                                .map(i -> Long.toString(i.toEpochMilli()))
                                .orElse("")
                                .equals(parts.length > 1 ? parts[1] : "")) {
                    LOG.warning("ending " + f.getFileName() + " (pid " + pid + ") left by a killed test cluster");
                    h.get().destroyForcibly();
                    h.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                Files.deleteIfExists(f);
            }
        } catch (IOException
                | RuntimeException
                | InterruptedException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            LOG.warning("cannot sweep " + stateDir + ": " + e);
        }
    }

    /** Starts {@code argv} with the test bed's clean environment, output appended to {@code log}. */
    public synchronized void start(String name, List<String> argv, Path log) {
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(ProcessRunner.CLEAN_ENV);
        try {
            Process p = pb.start();
            running.put(name, p);
            String started = p.info()
                    .startInstant()
                    .map(i -> Long.toString(i.toEpochMilli()))
                    .orElse("");
            Files.writeString(stateDir.resolve(name + ".pid"), p.pid() + " " + started + "\n");
        } catch (IOException e) {
            throw new TestbedException("cannot start " + name + " (" + argv.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Throws with the end of its log when {@code name} has exited. */
    public synchronized void requireAlive(String name, Path log) {
        Process p = running.get(name);
        if (p != null && !p.isAlive()) {
            throw new TestbedException(
                    name + " exited with " + p.exitValue() + "; last lines of " + log + ":\n" + tail(log, 30));
        }
    }

    /** SIGTERM to each (last started first), SIGKILL after {@code grace}. */
    public synchronized void stopAll(Duration grace) {
        List<Map.Entry<String, Process>> order = new ArrayList<>(running.entrySet());
        java.util.Collections.reverse(order);
        for (Map.Entry<String, Process> e : order) {
            Process p = e.getValue();
            p.destroy();
            try {
                if (!p.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            try {
                Files.deleteIfExists(stateDir.resolve(e.getKey() + ".pid"));
            } catch (IOException ignored) {
                // the next sweep checks the start time and forgets it
            }
        }
        running.clear();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
