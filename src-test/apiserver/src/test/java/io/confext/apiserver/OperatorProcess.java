package io.confext.apiserver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}) in a JVM of its own,
 * output to a log file. Stopped with SIGTERM (then SIGKILL) on close, and by a shutdown hook if the
 * benchmark JVM ends first, so no operator is left running.
 */
final class OperatorProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> command;
    private final Thread hook;

    private OperatorProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
        this.hook = new Thread(process::destroyForcibly, "stop-operator-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static OperatorProcess start(Path jar, List<String> jvmFlags, Map<String, String> env, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build it first with ./mvnw -B -o -pl operator -am package -DskipTests");
        }
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmFlags);
        argv.add("-jar");
        argv.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("CONFEXT_") || k.startsWith("JAVA_TOOL"));
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            return new OperatorProcess(pb.start(), log, List.copyOf(argv));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the operator: " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    List<String> command() {
        return command;
    }

    /** Waits for Quarkus' "started in" line; fails with the log's tail if the JVM exits or hangs. */
    void awaitStarted(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (logText().contains(" started in ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the operator exited with " + process.exitValue() + "; its log ends with:\n" + tail(40));
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "the operator did not start within " + timeout + "; its log ends with:\n" + tail(40));
    }

    boolean alive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }
}
