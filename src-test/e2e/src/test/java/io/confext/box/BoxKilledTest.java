package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.confext.e2e.BoxAssumptions;
import io.confext.testbed.K8sBinaries;
import io.confext.testsupport.tier.E2eTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A box whose JVM is SIGKILLed leaves nothing running: its watchdog ends the API server, etcd, the hosts, the
 * operator and the agents, and unmounts and deletes the hosts and etcd's data. What ran is observed from outside
 * (the box JVM's descendants before the kill), not taken from the box's own records.
 */
@E2eTest
class BoxKilledTest {

    private static final List<String> HOSTS = List.of("kill-a", "kill-b");
    private static final Pattern HOST_LINE = Pattern.compile("host (\\S+): (cxtb-\\S+),");

    /** A box JVM, seen from outside once it is ready: what runs below it, its hosts, etcd's directories. */
    private record Running(
            Process jvm, Path work, List<String> machines, Map<Long, String> ran, long watchdog, List<Path> etcdDirs) {}

    @Test
    void aSigkilledBoxLeavesNoApiServerEtcdHostOperatorOrAgentBehind() throws Exception {
        Path root = BoxAssumptions.repoRootOrSkip();
        Running box = startBox(root);
        try {
            box.jvm().destroyForcibly(); // SIGKILL: no shutdown hook runs
            box.jvm().waitFor();

            awaitTrue(
                    "the watchdog finished",
                    Duration.ofMinutes(2),
                    () -> ProcessStamp.startTicks(box.watchdog()).isEmpty(),
                    box.work());
            assertNothingLeft(box);
            assertThat(log(box.work())).contains("[watchdog] ended");
        } finally {
            stop(box);
        }
    }

    @Test
    void whenTheWatchdogDiedTooTheNextBoxOnTheWorkDirectorySweepsWhatIsLeft() throws Exception {
        Path root = BoxAssumptions.repoRootOrSkip();
        Running box = startBox(root);
        try {
            ProcessHandle.of(box.watchdog()).ifPresent(ProcessHandle::destroyForcibly); // e.g. the OOM killer took both
            awaitTrue(
                    "the watchdog gone",
                    Duration.ofSeconds(30),
                    () -> ProcessStamp.startTicks(box.watchdog()).isEmpty(),
                    box.work());
            box.jvm().destroyForcibly();
            box.jvm().waitFor();
            Thread.sleep(2_000);
            long operator = box.ran().entrySet().stream()
                    .filter(e -> e.getValue().contains("apps/operator/"))
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            assertThat(ProcessStamp.startTicks(operator))
                    .as("with no watchdog, the operator outlives the box")
                    .isPresent();

            // what Box.start does first on the same work directory
            Leftovers.Swept swept = new Leftovers(box.work()).claim();

            assertThat(swept.processes())
                    .as("operator, agents (and etcd, kube-apiserver)")
                    .isGreaterThanOrEqualTo(1 + HOSTS.size());
            assertNothingLeft(box);
        } finally {
            stop(box);
        }
    }

    private static Running startBox(Path root) throws Exception {
        Path work = Files.createTempDirectory("confext-box-killed");
        Path out = work.resolve("box.out");
        Process jvm = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.util.logging.manager=java.util.logging.LogManager",
                        "-Dconfext.repo.root=" + root,
                        "-cp",
                        System.getProperty("java.class.path"),
                        BoxUntilKilled.class.getName(),
                        work.toString(),
                        HOSTS.get(0),
                        HOSTS.get(1))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            awaitOutput(jvm, out, "box ready in", Duration.ofMinutes(8));
        } catch (AssertionError | Exception e) {
            jvm.destroyForcibly();
            throw e;
        }
        String text = Files.readString(out);
        List<String> machines = new ArrayList<>();
        Matcher m = HOST_LINE.matcher(text);
        while (m.find()) {
            machines.add(m.group(2));
        }
        assertThat(machines).as("host lines in\n%s", text).hasSize(HOSTS.size());

        Map<Long, String> ran = new TreeMap<>();
        List<Path> etcdDirs = new ArrayList<>();
        long watchdog = -1;
        for (ProcessHandle p : jvm.descendants().toList()) {
            String cmdline = cmdline(p.pid());
            if (cmdline.contains("box-watchdog")) {
                watchdog = p.pid();
                continue;
            }
            ran.put(p.pid(), cmdline);
            etcdDirs.addAll(etcdDirs(cmdline));
        }
        assertThat(watchdog).as("the watchdog runs").isPositive();
        String all = String.join("\n", ran.values());
        assertThat(count(ran, "systemd-nspawn"))
                .as("one nspawn per host in\n%s", all)
                .isEqualTo(HOSTS.size());
        assertThat(count(ran, "quarkus-run.jar"))
                .as("operator and one agent per host in\n%s", all)
                .isEqualTo(1 + HOSTS.size());
        if (K8sBinaries.find().available()) {
            assertThat(count(ran, "/kube-apiserver "))
                    .as("kube-apiserver in\n%s", all)
                    .isEqualTo(1);
            assertThat(count(ran, "/etcd ")).as("etcd in\n%s", all).isEqualTo(1);
            assertThat(etcdDirs).isNotEmpty().allSatisfy(d -> assertThat(d).exists());
        }
        return new Running(jvm, work, machines, ran, watchdog, etcdDirs);
    }

    /** No process that ran below the box, no mount, tree or record of its hosts, no etcd directory, no record. */
    private static void assertNothingLeft(Running box) throws IOException {
        Map<Long, String> survivors = box.ran().entrySet().stream()
                .filter(e -> ProcessStamp.startTicks(e.getKey()).isPresent())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(survivors)
                .as("processes of the killed box still running; watchdog log:\n%s", log(box.work()))
                .isEmpty();
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        for (String machine : box.machines()) {
            assertThat(mounts).as("mounts of host %s", machine).doesNotContain(machine);
            assertThat(Path.of("/var/tmp/confext-testbed", machine))
                    .as("host tree")
                    .doesNotExist();
            assertThat(Path.of("/run/confext-testbed", machine + ".host"))
                    .as("host record")
                    .doesNotExist();
        }
        assertThat(box.etcdDirs())
                .allSatisfy(d -> assertThat(d).as("etcd scratch dir").doesNotExist());
        assertThat(new Leftovers(box.work()).recorded())
                .as("nothing of the killed box left in its record")
                .allMatch(e -> e instanceof Leftover.Owner o
                        && o.pid() == ProcessHandle.current().pid());
    }

    private static void stop(Running box) throws InterruptedException {
        box.jvm().destroyForcibly();
        box.jvm().waitFor();
        ProcessHandle.of(box.watchdog()).ifPresent(ProcessHandle::destroyForcibly);
        // the second test leaves this JVM as the record's owner: end whatever is still recorded, then drop it all
        new Leftovers(box.work()).sweep();
        deleteQuietly(box.work());
    }

    /** The work directory holds only the box's logs, kubeconfig and app copies by now. */
    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory: harmless if it stays
        }
    }

    private static long count(Map<Long, String> ran, String needle) {
        return ran.values().stream().filter(c -> c.contains(needle)).count();
    }

    private static List<Path> etcdDirs(String cmdline) {
        List<Path> dirs = new ArrayList<>();
        if (!cmdline.contains("/etcd ")) {
            return dirs;
        }
        String[] argv = cmdline.split(" ");
        for (int i = 0; i + 1 < argv.length; i++) {
            if (argv[i].equals("-data-dir") || argv[i].equals("-wal-dir")) {
                dirs.add(Path.of(argv[i + 1]));
            }
        }
        return dirs;
    }

    private static String cmdline(long pid) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static String log(Path work) {
        try {
            return Files.readString(work.resolve("logs/watchdog.log"));
        } catch (IOException e) {
            return "(no watchdog log: " + e + ")";
        }
    }

    private static void awaitOutput(Process box, Path out, String line, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            if (text.contains(line)) {
                return;
            }
            if (!box.isAlive()) {
                fail("the box exited (" + box.exitValue() + ") before '" + line + "':\n" + text);
            }
            Thread.sleep(250);
        }
        fail("no '" + line + "' within " + timeout + ":\n" + Files.readString(out));
    }

    private static void awaitTrue(
            String what, Duration timeout, java.util.function.BooleanSupplier condition, Path work) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("not within " + timeout + ": " + what + "; watchdog log:\n" + log(work));
            }
            Thread.sleep(100);
        }
    }
}
