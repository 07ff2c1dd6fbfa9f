package io.confext.box;

import io.confext.testbed.SystemdHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The leftovers file of a box ({@code <workDir>/leftovers}): every child process, host cgroup and scratch
 * directory is appended as it appears. A box that closes cleanly deletes it; when the box dies instead (SIGKILL,
 * OOM), its watchdog ({@link Reaper}) and, failing that, the next box on the same work directory {@link #sweep}
 * what it names.
 */
final class Leftovers {

    /** What a sweep ended, for the user. */
    record Swept(int processes, int hosts, int dirs) {
        boolean nothing() {
            return processes == 0 && hosts == 0 && dirs == 0;
        }

        @Override
        public String toString() {
            return processes + " process(es), " + hosts + " host(s), " + dirs + " scratch dir(s)";
        }
    }

    private final Path file;

    Leftovers(Path workDir) {
        this.file = workDir.resolve("leftovers");
    }

    Path file() {
        return file;
    }

    /** Appends one entry, at once on disk: the box may be killed the next moment. */
    synchronized void record(Leftover entry) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    entry.line() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + entry.line() + " in " + file, e);
        }
    }

    List<Leftover> recorded() {
        List<Leftover> all = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Leftover.parse(line).ifPresent(all::add);
            }
        } catch (NoSuchFileException none) {
            // a clean exit, or the first run
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return all;
    }

    /**
     * Makes this JVM the work directory's box: refuses while another live box owns it, else sweeps what a dead one
     * left and records this JVM as the owner.
     */
    synchronized Swept claim() {
        for (Leftover e : recorded()) {
            if (e instanceof Leftover.Owner o
                    && o.pid() != ProcessHandle.current().pid()
                    && ProcessStamp.alive(o.asProcess())) {
                throw new IllegalStateException("another box (pid " + o.pid() + ") is running on " + file.getParent()
                        + ": stop it first (Ctrl-C), or give this one another work directory");
            }
        }
        Swept swept = sweep();
        long self = ProcessHandle.current().pid();
        record(new Leftover.Owner(self, ProcessStamp.startTicks(self).orElseThrow()));
        return swept;
    }

    /** After a clean close: nothing is left to sweep. */
    synchronized void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    /**
     * Ends what a dead box left behind: SIGKILL to each recorded process that is still that very process, a
     * cgroup kill of each recorded host, then (once they are gone) its scratch directories, then the test bed's
     * sweep unmounts and deletes the hosts of dead owners. Never touches a process the box did not start.
     */
    synchronized Swept sweep() {
        List<Leftover> entries = recorded();
        List<Leftover.Process> killed = new ArrayList<>();
        int hosts = 0;
        for (Leftover e : entries) {
            if (e instanceof Leftover.Process p && ProcessStamp.alive(p)) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                killed.add(p);
            }
        }
        for (Leftover e : entries) {
            if (e instanceof Leftover.Cgroup c && populated(c.dir())) {
                killCgroup(c.dir());
                hosts++;
            }
        }
        awaitGone(killed, entries, Duration.ofSeconds(30));
        int dirs = 0;
        for (Leftover e : entries) {
            if (e instanceof Leftover.Dir d && Files.exists(d.dir())) {
                deleteTree(d.dir());
                dirs++;
            }
        }
        // unmounts the hosts' overlays and deletes their trees, records and cgroups
        SystemdHost.sweepLeftovers();
        forget();
        return new Swept(killed.size(), hosts, dirs);
    }

    private static void awaitGone(List<Leftover.Process> processes, List<Leftover> entries, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (processes.stream().anyMatch(ProcessStamp::alive)
                || entries.stream().anyMatch(e -> e instanceof Leftover.Cgroup c && populated(c.dir()))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("leftovers of a dead box survive SIGKILL: "
                        + processes.stream()
                                .filter(ProcessStamp::alive)
                                .map(Leftover::line)
                                .toList());
            }
            Box.sleep(50);
        }
    }

    static boolean populated(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.events")).contains("populated 1");
        } catch (IOException gone) {
            return false;
        }
    }

    private static void killCgroup(Path cgroup) {
        try {
            Files.writeString(cgroup.resolve("cgroup.kill"), "1");
        } catch (IOException e) {
            // emptied meanwhile, or a kernel before 5.14: the test bed's sweep still stops the host
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // removed meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
