package io.confext.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A small service for the host that reads its config from /etc and reports what it sees
 * ({@code /usr/local/bin/confext-demo}, bash). It re-reads on SIGHUP; its {@code ExecReload=} fails on
 * purpose (exit 1, without signalling) when the config it sees has a line {@code fail_reload=yes}.
 */
public final class DemoService {

    /** The config file a demo unit reads unless told otherwise. */
    public static final String DEFAULT_CONFIG = "/etc/demo/demo.conf";

    private static final String RESOURCES = "/io/confext/testbed/demo/";

    private DemoService() {}

    /** Installs unit {@code unitName} reading {@link #DEFAULT_CONFIG} and starts it. */
    public static void install(SystemdHost host, String unitName) {
        install(host, unitName, DEFAULT_CONFIG, true);
    }

    /**
     * Installs the demo scripts (once per host) and {@code /etc/systemd/system/<unitName>}, then daemon-reload;
     * starts the unit when {@code start}.
     */
    public static void install(SystemdHost host, String unitName, String configPath, boolean start) {
        if (!unitName.matches("[A-Za-z0-9:_.@-]+\\.service")) {
            throw new IllegalArgumentException("not a service unit name: " + unitName);
        }
        if (!configPath.startsWith("/etc/") || configPath.contains(" ")) {
            throw new IllegalArgumentException("config must be a path under /etc/ without spaces: " + configPath);
        }
        host.writeFile("/usr/local/bin/confext-demo", resource("confext-demo"), "0755");
        host.writeFile("/usr/local/bin/confext-demo-reload", resource("confext-demo-reload"), "0755");
        host.writeFile(
                "/etc/systemd/system/" + unitName, resource("unit.template").replace("@CONFIG@", configPath), "0644");
        host.execOk("systemctl", "daemon-reload");
        if (start) {
            host.execOk("systemctl", "start", unitName);
        }
    }

    /** What the unit's main process reported it saw when it last read its config. */
    public static DemoSeen seen(SystemdHost host, String unitName) {
        return DemoSeen.parse(host.readFile("/run/confext-demo/" + unitName + ".seen"));
    }

    /** Polls {@link #seen} until {@code condition} holds; throws with the last report when it does not in time. */
    public static DemoSeen awaitSeen(
            SystemdHost host, String unitName, Predicate<DemoSeen> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        DemoSeen last = null;
        while (true) {
            try {
                last = seen(host, unitName);
                if (condition.test(last)) {
                    return last;
                }
            } catch (TestbedException notYet) {
                // no report yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TestbedException(
                        unitName + " did not report the expected view within " + timeout + "; last: " + last);
            }
            Mounts.sleep(50);
        }
    }

    /** The unit's main PID in the host's PID namespace; 0 when it has none. */
    public static long mainPid(SystemdHost host, String unitName) {
        return Long.parseLong(host.execOk("systemctl", "show", "--property=MainPID", "--value", unitName)
                .stdout()
                .strip());
    }

    /**
     * The content of {@code /etc/<pathInEtc>} as the unit's main process sees it right now (through its mount
     * namespace: {@code /proc/<MainPID>/root} in the host's /proc), independent of whether it re-read it.
     * Empty when the file does not exist there.
     */
    public static Optional<String> mainPidSees(SystemdHost host, String unitName, String pathInEtc) {
        long pid = mainPid(host, unitName);
        if (pid == 0) {
            throw new TestbedException(unitName + " has no main process (is it running?)");
        }
        String rel = pathInEtc.startsWith("/etc/") ? pathInEtc.substring(5) : pathInEtc.replaceFirst("^/+", "");
        Path p = host.hostPath("/proc/" + pid + "/root/etc/" + rel);
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TestbedException("cannot read " + p + ": " + e, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DemoService.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
