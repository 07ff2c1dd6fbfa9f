package io.confext.testbed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real systemd host booted with {@code systemd-nspawn -b} from a cached Debian root file system (see
 * {@link HostTree} for how each host gets its own writable copy).
 * Everything the agent does in production through PID 1's namespaces works here through {@link #leaderPid()}:
 * files via {@link #root()} ({@code /proc/<leader>/root}), commands via nsenter, systemd via the host's D-Bus
 * socket at {@code root().resolve("run/dbus/system_bus_socket")}.
 */
public final class SystemdHost implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SystemdHost.class.getName());

    /** Every machine this test bed starts is named with this prefix (and its records and dirs too). */
    public static final String MACHINE_PREFIX = "cxtb-";

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final String machine;
    private final HostImage image;
    private final TestbedPaths paths;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private volatile HostRecord record;
    private volatile int systemdVersion;
    /** The same container identity on every boot of this host ({@link #reboot()}). */
    private final String uuid = java.util.UUID.randomUUID().toString();
    /** What the host was booted with: a {@link #reboot()} boots it the same way. */
    private volatile BootOptions options = BootOptions.defaults();

    private SystemdHost(String name, String machine, HostImage image, TestbedPaths paths, HostRecord record) {
        this.name = name;
        this.machine = machine;
        this.image = image;
        this.paths = paths;
        this.record = record;
        this.shutdownHook = new Thread(this::closeQuietly, "testbed-shutdown-" + machine);
    }

    /**
     * Boots a fresh host from the cached image and waits until systemd reports the system running (or degraded).
     *
     * @param name host name inside the host (lower-case letters, digits, '-'; at most 40 characters); the
     *             machine name adds a prefix and a random suffix so parallel runs never collide
     */
    public static SystemdHost boot(HostImage image, String name) {
        return boot(image, name, BootOptions.defaults());
    }

    /** Like {@link #boot(HostImage, String)}, with a network namespace or more nspawn arguments (Kubernetes nodes). */
    public static SystemdHost boot(HostImage image, String name, BootOptions options) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("host name '" + name + "' must match " + NAME.pattern());
        }
        TestbedPaths paths = TestbedPaths.fromEnvironment();
        Prerequisites.check(paths, image).ifPresent(problem -> {
            throw new TestbedException(problem);
        });
        LeftoverSweeper.sweep(paths);

        String machine = MACHINE_PREFIX + name + "-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(2);
        Path dataDir = paths.dataDir().resolve(machine);
        HostRecord record =
                new HostRecord(machine, ProcessIdentity.self(), dataDir, Optional.empty(), Optional.empty());
        record.save(paths.stateDir());
        SystemdHost host = new SystemdHost(name, machine, image, paths, record);
        Runtime.getRuntime().addShutdownHook(host.shutdownHook);
        Instant started = Instant.now();
        try {
            host.start(paths.rootfs(image), options);
            LOG.info(() -> "booted " + machine + " (" + image + ", systemd " + host.systemdVersion + ") in "
                    + Duration.between(started, Instant.now()).toMillis() + " ms");
            return host;
        } catch (RuntimeException e) {
            String diagnostics = host.bootDiagnostics();
            host.closeQuietly();
            throw new TestbedException(
                    "cannot boot test host " + machine + " from " + paths.rootfs(image) + ": " + e.getMessage() + "\n"
                            + diagnostics,
                    e);
        }
    }

    private void start(Path rootfs, BootOptions options) {
        HostTree.create(rootfs, record.dataDir());
        personalize(record.root());
        launch(options);
    }

    /**
     * Reboots the host as a power cycle does: its systemd is asked to power off (SIGKILL after
     * {@link HostTeardown#GRACE}), every process of it is gone, then it boots again on the same root (the overlay and
     * its upper layer stay: /etc, /var keep what was written; /run and /tmp start empty) and is waited for as at
     * {@link #boot}. The leader PID changes: look it up again with {@link #leaderPid()}.
     */
    public void reboot() {
        if (closed.get()) {
            throw new IllegalStateException(machine + " is closed");
        }
        HostTeardown.stopProcesses(record.nspawn(), record.leader());
        HostCgroup.cgroup2Mount()
                .map(m -> m.resolve(HostCgroup.PARENT).resolve(machine))
                .ifPresent(cg -> {
                    for (int i = 0; i < 100 && HostCgroup.populated(cg); i++) {
                        HostCgroup.killAll(cg);
                        Mounts.sleep(50);
                    }
                });
        HostTeardown.deleteTree(Path.of("/run/systemd/nspawn/propagate", machine));
        record = record.withoutProcesses();
        record.save(paths.stateDir());
        Instant started = Instant.now();
        try {
            launch(options);
        } catch (RuntimeException e) {
            throw new TestbedException(
                    "cannot boot test host " + machine + " again: " + e.getMessage() + "\n" + bootDiagnostics(), e);
        }
        LOG.info(() -> "rebooted " + machine + " in "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    private void launch(BootOptions options) {
        this.options = options;
        Path cgroup = HostCgroup.create(machine);
        // enter the host's own cgroup first, then become nspawn (same PID): see HostCgroup for why
        List<String> argv = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                "echo $$ > \"$1/cgroup.procs\" && shift && exec \"$@\"",
                "sh",
                cgroup.toString(),
                "systemd-nspawn",
                "--directory=" + record.root(),
                "--machine=" + machine,
                "--hostname=" + name,
                "--uuid=" + uuid,
                // no systemd on the outer machine (or one we must not touch): no machined, no scope of our own
                "--register=no",
                "--keep-unit",
                "--boot",
                "--console=pipe",
                "--capability=all",
                options.networkNamespace()
                        .map(ns -> "--network-namespace-path=" + ns)
                        .orElse("--private-network"),
                "--bind=/dev/loop-control",
                "--bind-ro=/dev:" + LoopDeviceSupply.OUTER_DEV));
        argv.addAll(options.extraArguments());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
        pb.environment().clear();
        pb.environment().putAll(ProcessRunner.CLEAN_ENV);
        // systemd >= 258 runs on the unified cgroup hierarchy only; the outer machine may be hybrid
        pb.environment().put("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
        Process nspawn;
        try {
            nspawn = pb.start();
        } catch (IOException e) {
            throw new TestbedException("cannot start systemd-nspawn: " + e.getMessage(), e);
        }
        ProcessIdentity nspawnId = ProcessIdentity.of(nspawn.pid())
                .orElseThrow(() -> new TestbedException("systemd-nspawn exited at once"));
        record = record.withNspawn(nspawnId);
        record.save(paths.stateDir());

        Instant deadline = Instant.now().plus(options.bootTimeout());
        ProcessIdentity leader = LeaderFinder.await(nspawnId, deadline);
        record = record.withLeader(leader);
        record.save(paths.stateDir());

        LoopDeviceSupply.populate(leader.pid());
        awaitRunning(deadline);
        systemdVersion = parseSystemdVersion(execOk("systemctl", "--version").stdout());
    }

    /**
     * Per-host identity in the host's own upper layer: /etc/hostname wins over nspawn's --hostname, and an
     * empty machine-id makes the host's systemd derive a fresh one from the container UUID nspawn gives it.
     */
    private void personalize(Path root) {
        try {
            Files.writeString(root.resolve("etc/hostname"), name + "\n");
            Files.deleteIfExists(root.resolve("etc/machine-id"));
            // systemd would take this one over an empty /etc/machine-id: every host the same id
            Files.deleteIfExists(root.resolve("var/lib/dbus/machine-id"));
            Files.writeString(root.resolve("etc/machine-id"), "");
        } catch (IOException e) {
            throw new TestbedException("cannot prepare the host's /etc: " + e, e);
        }
    }

    private void awaitRunning(Instant deadline) {
        ExecResult last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!record.nspawn().map(ProcessIdentity::alive).orElse(false)) {
                throw new TestbedException("systemd-nspawn exited during boot");
            }
            Duration left = Duration.between(Instant.now(), deadline);
            try {
                last = exec(left, "systemctl", "is-system-running", "--wait");
            } catch (TestbedException timeout) {
                break;
            }
            String state = last.stdout().strip();
            if (state.equals("running")) {
                return;
            }
            if (state.equals("degraded")) {
                LOG.warning(() -> machine + " booted degraded:\n"
                        + exec("systemctl", "--failed", "--no-legend").stdout());
                return;
            }
            if (state.equals("maintenance") || state.equals("stopping") || state.equals("offline")) {
                throw new TestbedException("host reached state '" + state + "' while booting");
            }
            Mounts.sleep(100); // bus not up yet
        }
        throw new TestbedException("host did not reach 'running' within the boot timeout"
                + (last == null
                        ? ""
                        : "; last answer: " + last.stdout().strip() + " "
                                + last.stderr().strip()));
    }

    static int parseSystemdVersion(String versionOutput) {
        Matcher m = Pattern.compile("^systemd (\\d+)", Pattern.MULTILINE).matcher(versionOutput);
        if (!m.find()) {
            throw new TestbedException("cannot read the systemd version from: " + versionOutput);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The host name given to {@link #boot}. */
    public String name() {
        return name;
    }

    /** The unique machine name (prefix, name, random suffix), as in {@code systemd-nspawn --machine=}. */
    public String machineName() {
        return machine;
    }

    public HostImage image() {
        return image;
    }

    /** The host's PID 1 as seen from this (outer) PID namespace. */
    public long leaderPid() {
        return record.leader()
                .orElseThrow(() -> new IllegalStateException(machine + " has no leader yet"))
                .pid();
    }

    /**
     * The host's own cgroup (v2) subtree on the outer machine (see {@link HostCgroup}): writing "1" to its
     * {@code cgroup.kill} ends nspawn and every process of the host at once, which is what a watchdog of a
     * killed owner needs.
     */
    public Path cgroupDir() {
        return HostCgroup.cgroup2Mount()
                .orElseThrow(() -> new TestbedException("no cgroup2 hierarchy is mounted"))
                .resolve(HostCgroup.PARENT)
                .resolve(machine);
    }

    /**
     * Tears down the hosts of runs whose JVM died without cleaning up (what every {@link #boot} does first), for
     * callers that clean up after a killed run without booting anything; live hosts of other runs are untouched.
     */
    public static void sweepLeftovers() {
        LeftoverSweeper.sweep(TestbedPaths.fromEnvironment());
    }

    /** The host's root directory seen from outside: {@code /proc/<leaderPid>/root}. */
    public Path root() {
        return Path.of("/proc", Long.toString(leaderPid()), "root");
    }

    /** The systemd version of the host's PID 1. */
    public int systemdVersion() {
        return systemdVersion;
    }

    /** Runs a command inside the host (all its namespaces, its root and working directory). */
    public ExecResult exec(String... argv) {
        return exec(DEFAULT_EXEC_TIMEOUT, argv);
    }

    public ExecResult exec(Duration timeout, String... argv) {
        ensureOpen();
        return ProcessRunner.run(nsenter(argv), timeout);
    }

    /** Like {@link #exec(String...)}, but throws (exit code, stdout and stderr in the message) unless it exits 0. */
    public ExecResult execOk(String... argv) {
        return execOk(DEFAULT_EXEC_TIMEOUT, argv);
    }

    public ExecResult execOk(Duration timeout, String... argv) {
        ensureOpen();
        List<String> cmd = nsenter(argv);
        ExecResult r = ProcessRunner.run(cmd, timeout);
        if (!r.ok()) {
            throw new TestbedException("in host " + machine + ": " + r.describe(List.of(argv)));
        }
        return r;
    }

    private List<String> nsenter(String... argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leaderPid()), "-a", "--"));
        cmd.addAll(List.of(argv));
        return cmd;
    }

    /**
     * Writes a file in the host (parents created, owner root), replacing it atomically.
     *
     * @param octalMode e.g. "0644" or "755"
     */
    public void writeFile(String absPathInHost, String content, String octalMode) {
        Path target = hostPath(absPathInHost);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".testbed-tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(FileModes.toSymbolic(octalMode)));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TestbedException("cannot write " + absPathInHost + " in host " + machine + ": " + e, e);
        }
    }

    /** Reads a file of the host (as the host's PID 1 sees it). */
    public String readFile(String absPathInHost) {
        try {
            return Files.readString(hostPath(absPathInHost), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TestbedException("cannot read " + absPathInHost + " in host " + machine + ": " + e, e);
        }
    }

    /** The outer path of a path in the host, through {@link #root()}. */
    public Path hostPath(String absPathInHost) {
        if (absPathInHost == null || !absPathInHost.startsWith("/")) {
            throw new IllegalArgumentException("path in host must be absolute: " + absPathInHost);
        }
        ensureOpen();
        return root().resolve(absPathInHost.substring(1));
    }

    /**
     * The outer path of a path on the host's root file system itself, beneath every mount of the running host: e.g. the
     * real /etc under a systemd-confext overlay, which {@link #hostPath} shows merged.
     */
    public Path onDisk(String absPathInHost) {
        if (absPathInHost == null || !absPathInHost.startsWith("/")) {
            throw new IllegalArgumentException("path in host must be absolute: " + absPathInHost);
        }
        ensureOpen();
        return record.root().resolve(absPathInHost.substring(1));
    }

    /**
     * nspawn's own output, and the host's journal when its systemd is still there: with --console=pipe the
     * host's systemd prints no status lines, so the journal is where boot problems show.
     */
    private String bootDiagnostics() {
        StringBuilder b = new StringBuilder("--- systemd-nspawn output (last lines) ---\n").append(consoleTail(40));
        record.leader().filter(ProcessIdentity::alive).ifPresent(l -> {
            try {
                ExecResult j = ProcessRunner.run(
                        List.of(
                                "nsenter",
                                "-t",
                                Long.toString(l.pid()),
                                "-a",
                                "--",
                                "journalctl",
                                "-b",
                                "--no-pager",
                                "-n",
                                "60"),
                        java.time.Duration.ofSeconds(20));
                b.append("\n--- host journal (last lines) ---\n")
                        .append(j.stdout())
                        .append(j.stderr());
            } catch (RuntimeException e) {
                b.append("\n(no host journal: ").append(e.getMessage()).append(')');
            }
        });
        return b.toString();
    }

    /** The last lines systemd-nspawn printed (for failure messages). */
    public String consoleTail(int lines) {
        try {
            List<String> all = Files.readAllLines(consoleLog(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    private Path consoleLog() {
        return record.dataDir().resolve("console.log");
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("test host " + machine + " is closed");
        }
    }

    /**
     * Powers the host off (SIGKILL after {@link HostTeardown#GRACE}), waits until its processes are gone,
     * unmounts its overlay and deletes its directories. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        HostTeardown.tearDown(record, paths);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warning("teardown of " + machine + " failed: " + e.getMessage());
        }
    }

    /** The record of this host (processes, directories), for tests of the test bed itself. */
    HostRecord record() {
        return record;
    }

    @Override
    public String toString() {
        return machine + "(" + image + ")";
    }
}
