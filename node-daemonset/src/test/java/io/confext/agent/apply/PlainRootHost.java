package io.confext.agent.apply;

import io.confext.agent.host.CommandResult;
import io.confext.agent.host.HostCommands;
import io.confext.agent.host.HostFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A systemd host booted with systemd-nspawn from a plain copy of the cached root file system, not an overlay.
 *
 * Why not the test bed's {@code SystemdHost}: it boots on an overlayfs root, and there systemd 262 cannot refresh a
 * unit's extensions on reload: the reload's '(sd-ns-unpeel)' child fails with "'/etc' is still an overlay after
 * opening mount tree" / "Failed to unpeel mount /etc: Protocol error", and the reload job then hangs until its
 * timeout (seen on this machine). Real hosts have no overlay root, so the reload path is tested on a copy (3 s).
 */
public final class PlainRootHost implements AutoCloseable {
    private final Path dir;
    private final Process nspawn;
    private final long leader;
    private final Thread hook;

    private PlainRootHost(Path dir, Process nspawn, long leader) {
        this.dir = dir;
        this.nspawn = nspawn;
        this.leader = leader;
        this.hook = new Thread(this::teardown);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static Path cachedRootfs(String image) {
        return Path.of(System.getProperty("user.home"), ".cache/confext-operator/hosts", image + ".rootfs");
    }

    public static PlainRootHost boot(String image) throws Exception {
        Path cache = cachedRootfs(image);
        if (!Files.isDirectory(cache.resolve("usr/lib/systemd"))) {
            throw new IllegalStateException(
                    "no cached root file system at " + cache + ": run the test bed's prepare-test-hosts script first");
        }
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "cx-plainroot-");
        Path root = dir.resolve("root");
        run("cp", "-a", "--reflink=auto", cache.toString(), root.toString());
        Files.writeString(root.resolve("etc/hostname"), "plainroot\n");
        Files.writeString(root.resolve("etc/machine-id"), "");
        ProcessBuilder pb = new ProcessBuilder(
                        "systemd-nspawn",
                        "--directory=" + root,
                        "--machine=" + dir.getFileName(),
                        "--register=no",
                        "--keep-unit",
                        "--boot",
                        "--console=pipe",
                        "--capability=all",
                        "--private-network")
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        pb.environment().put("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
        Process p = pb.start();
        Instant deadline = Instant.now().plusSeconds(120);
        long leader = 0;
        while (leader == 0 && Instant.now().isBefore(deadline)) {
            // the host's PID 1: a descendant of nspawn named exactly "systemd" in a PID namespace of its own
            leader = p.descendants()
                    .filter(c -> comm(c.pid()).equals("systemd")
                            && !pidNs(c.pid())
                                    .equals(pidNs(ProcessHandle.current().pid())))
                    .mapToLong(ProcessHandle::pid)
                    .findFirst()
                    .orElse(0);
            Thread.sleep(20);
        }
        PlainRootHost host = new PlainRootHost(dir, p, leader);
        if (leader == 0) {
            host.close();
            throw new IllegalStateException("the host's systemd did not start; see " + dir.resolve("console.log"));
        }
        while (Instant.now().isBefore(deadline)) {
            CommandResult r = host.commands().run(Duration.ofSeconds(60), "systemctl", "is-system-running", "--wait");
            String s = r.stdout().strip();
            if (s.equals("running") || s.equals("degraded")) {
                return host;
            }
            Thread.sleep(100);
        }
        host.close();
        throw new IllegalStateException("host did not boot in time");
    }

    private static String pidNs(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns/pid"))
                    .toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    public long leaderPid() {
        return leader;
    }

    HostCommands commands() {
        return new HostCommands(leader);
    }

    public String execOk(String... argv) {
        return commands().runOk(Duration.ofSeconds(120), argv).stdout();
    }

    public HostFiles files() {
        return new HostFiles(leader);
    }

    Optional<String> read(String hostPath) {
        return files().readString(hostPath);
    }

    public long mainPid(String unit) {
        return Long.parseLong(
                execOk("systemctl", "show", "-p", "MainPID", "--value", unit).strip());
    }

    /** /etc/<rel> as the unit's main process sees it right now. */
    public Optional<String> mainPidSees(String unit, String rel) {
        return HostFiles.readString(files().resolve("/proc/" + mainPid(unit) + "/root/etc/" + rel));
    }

    /** The test bed's demo service (same scripts and unit template, from its resources), started. */
    public void installDemo(String unit) throws IOException {
        write("/usr/local/bin/confext-demo", resource("confext-demo"), "rwxr-xr-x");
        write("/usr/local/bin/confext-demo-reload", resource("confext-demo-reload"), "rwxr-xr-x");
        write(
                "/etc/systemd/system/" + unit,
                resource("unit.template").replace("@CONFIG@", "/etc/demo/demo.conf"),
                "rw-r--r--");
        execOk("systemctl", "daemon-reload");
        execOk("systemctl", "start", unit);
    }

    private void write(String hostPath, String content, String perms) throws IOException {
        Path p = files().resolve(hostPath);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in =
                io.confext.testbed.DemoService.class.getResourceAsStream("/io/confext/testbed/demo/" + name)) {
            if (in == null) {
                throw new IOException("test bed resource " + name + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed");
        }
    }

    private synchronized void teardown() {
        if (nspawn.isAlive()) {
            nspawn.destroy(); // SIGTERM: nspawn asks the host to power off
            try {
                if (!nspawn.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    nspawn.destroyForcibly();
                    nspawn.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run("rm", "-rf", "--one-file-system", dir.toString());
        } catch (IOException | InterruptedException e) {
            // left in /var/tmp; named cx-plainroot-*
        }
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    List<String> ls(String hostPath) throws IOException {
        try (var s = Files.list(files().resolve(hostPath))) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
