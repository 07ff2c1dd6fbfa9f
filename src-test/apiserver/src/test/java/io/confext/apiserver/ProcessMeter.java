package io.confext.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads one process's own resident memory and CPU time from /proc (so the figures are that
 * process's alone, not the benchmark JVM's), and samples them in the background.
 */
final class ProcessMeter implements AutoCloseable {

    /** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every Linux this runs on). */
    static final long TICKS_PER_SECOND = 100;

    /**
     * @param rssKiB VmRSS
     * @param hwmKiB VmHWM, the peak RSS since the process started
     * @param cpuTicks utime + stime of all its threads
     */
    record Sample(Instant at, long rssKiB, long hwmKiB, long cpuTicks) {

        double cpuSeconds() {
            return cpuTicks / (double) TICKS_PER_SECOND;
        }
    }

    private final long pid;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    ProcessMeter(long pid, long periodMillis) {
        this.pid = pid;
        this.sampler = new Thread(
                () -> {
                    while (running) {
                        read().ifPresent(samples::add);
                        try {
                            Thread.sleep(periodMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "process-meter-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    java.util.Optional<Sample> read() {
        return read(pid);
    }

    static java.util.Optional<Sample> read(long pid) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return java.util.Optional.of(new Sample(Instant.now(), rss, hwm, utime + stime));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // the process has ended
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }

    /** The samples taken within [from, to). */
    List<Sample> between(Instant from, Instant to) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.at().isBefore(from) && s.at().isBefore(to)) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
