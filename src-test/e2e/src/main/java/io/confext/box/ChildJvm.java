package io.confext.box;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Quarkus app ({@code quarkus-run.jar}) as a child process, its output appended to a log file. It can be
 * stopped gently (SIGTERM, then SIGKILL), killed hard (SIGKILL, as a crashed pod) and started again.
 */
public final class ChildJvm implements AutoCloseable {

    /** Small and quick: five JVMs share two cores with the hosts. */
    static final List<String> JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx256m", "-Djava.net.preferIPv4Stack=true");

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private final java.util.function.LongConsumer onStart;
    /** The app's production launcher script, or null to start the jar with {@link #JVM_OPTIONS}. */
    private final Path launcher;

    private Process process;

    /** @param onStart told each started PID (the box records them to end strays after a killed run) */
    public ChildJvm(String name, Path jar, Map<String, String> env, Path log, java.util.function.LongConsumer onStart) {
        this(name, jar, env, log, onStart, null);
    }

    /**
     * @param launcher a start script that {@code exec}s the JVM with the app's production flags (the agent's
     *                 {@code confext-agent}); it is told the app directory ({@code CONFEXT_AGENT_HOME}) and this JVM's
     *                 Java ({@code JAVA_HOME}), and the PID it gets is the JVM's
     */
    public ChildJvm(
            String name,
            Path jar,
            Map<String, String> env,
            Path log,
            java.util.function.LongConsumer onStart,
            Path launcher) {
        this.name = name;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.log = log;
        this.onStart = onStart;
        this.launcher = launcher;
    }

    public synchronized ChildJvm start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -q -DskipTests package");
        }
        List<String> argv = new ArrayList<>();
        if (launcher != null) {
            argv.add("/bin/sh");
            argv.add(launcher.toString());
        } else {
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.addAll(JVM_OPTIONS);
            argv.add("-jar");
            argv.add(jar.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (launcher != null) {
            pb.environment().put("CONFEXT_AGENT_HOME", jar.getParent().toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("JAVA_OPTS_APPEND", "-Djava.net.preferIPv4Stack=true");
        }
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "---- starting " + name + ": " + String.join(" ", argv) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
            onStart.accept(process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** SIGKILL, as when a node agent pod is OOM-killed: no shutdown hooks, no cleanup. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            await(process, 10);
        }
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!await(process, 15)) {
            process.destroyForcibly();
            await(process, 10);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The last lines of its log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean await(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (stopped)");
    }
}
