package io.confext.agent.systemd;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * systemd over its D-Bus API on the host's system bus, reached as {@code /proc/<hostpid>/root/run/dbus/system_bus_socket}.
 * Jobs are awaited on their {@code JobRemoved} signal; the handler is registered (and {@code Subscribe()} called)
 * before any job is started, so a job that finishes immediately cannot be missed.
 */
public final class DbusSystemd implements Systemd {
    private static final String BUS_NAME = "org.freedesktop.systemd1";
    private static final String MANAGER_PATH = "/org/freedesktop/systemd1";
    private static final String MANAGER_IFACE = "org.freedesktop.systemd1.Manager";
    private static final String UNIT_IFACE = "org.freedesktop.systemd1.Unit";
    private static final String SERVICE_IFACE = "org.freedesktop.systemd1.Service";

    private final DBusConnection connection;
    private final Systemd1Manager manager;
    /** Finished jobs by object path; filled by the signal thread, consumed by the caller waiting for that job. */
    private final Map<String, CompletableFuture<Systemd1Manager.JobRemoved>> jobs = new ConcurrentHashMap<>();

    private final AutoCloseable subscription;

    private DbusSystemd(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.manager = connection.getRemoteObject(BUS_NAME, MANAGER_PATH, Systemd1Manager.class);
        this.subscription = connection.addSigHandler(
                Systemd1Manager.JobRemoved.class,
                sig -> jobs.computeIfAbsent(sig.jobPath(), k -> new CompletableFuture<>())
                        .complete(sig));
        manager.Subscribe();
    }

    /** Connects to the system bus of the host whose PID 1 (in its namespace) is {@code hostPid} here. */
    public static DbusSystemd connect(long hostPid) {
        String socket = "/proc/" + hostPid + "/root/run/dbus/system_bus_socket";
        try {
            return new DbusSystemd(DBusConnectionBuilder.forAddress("unix:path=" + socket)
                    .withShared(false)
                    .build());
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException(
                    "cannot connect to the host's system bus at " + socket
                            + " (is dbus running on the host and the agent privileged with hostPID?): "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public String version() {
        return managerProperty("Version");
    }

    @Override
    public String architecture() {
        return managerProperty("Architecture");
    }

    private String managerProperty(String name) {
        try {
            Properties p = connection.getRemoteObject(BUS_NAME, MANAGER_PATH, Properties.class);
            return String.valueOf((Object) p.Get(MANAGER_IFACE, name));
        } catch (DBusException | DBusExecutionException e) {
            throw new SystemdException("cannot read the manager property " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public UnitProperties unit(String name) {
        try {
            DBusPath path = manager.LoadUnit(name);
            Properties p = connection.getRemoteObject(BUS_NAME, path.getPath(), Properties.class);
            String active = p.Get(UNIT_IFACE, "ActiveState");
            String sub = p.Get(UNIT_IFACE, "SubState");
            if (!name.endsWith(".service")) {
                return new UnitProperties(
                        name, active, sub, 0, "", List.of(), List.of(), Optional.empty(), UnitProperties.LastRun.NONE);
            }
            // One GetAll instead of eight Gets: every activation reads a unit twice (plan, proof), and each D-Bus
            // round trip through the bus to systemd costs milliseconds on a busy node (issue #18, BENCHMARKS.md).
            Map<String, Variant<?>> service = p.GetAll(SERVICE_IFACE);
            long mainPid = ((Number) value(service, "MainPID")).longValue();
            String type = (String) value(service, "Type");
            List<String> dirs = strings(
                    service.containsKey("ExtensionDirectories") ? value(service, "ExtensionDirectories") : null);
            List<String> images =
                    structHeads(service.containsKey("ExtensionImages") ? value(service, "ExtensionImages") : null);
            // systemd < 258 has no RefreshOnReload: the unit cannot refresh its extensions on reload
            Optional<List<String>> refresh = service.containsKey("RefreshOnReload")
                    ? Optional.of(strings(value(service, "RefreshOnReload")))
                    : Optional.empty();
            UnitProperties.LastRun lastRun = new UnitProperties.LastRun(
                    (String) value(service, "Result"),
                    ((Number) value(service, "ExecMainStatus")).intValue(),
                    ((Number) value(service, "ExecMainStartTimestamp")).longValue());
            return new UnitProperties(name, active, sub, mainPid, type, dirs, images, refresh, lastRun);
        } catch (DBusException | DBusExecutionException | ClassCastException e) {
            throw new SystemdException("cannot read the properties of " + name + ": " + e.getMessage(), e);
        }
    }

    private static Object value(Map<String, Variant<?>> props, String key) {
        Variant<?> v = props.get(key);
        if (v == null) {
            throw new DBusExecutionException("systemd did not report the property " + key);
        }
        return v.getValue();
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Object[] arr) {
            for (Object o : arr) {
                out.add(String.valueOf(o));
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    /** ExtensionImages is a(sba(ss)): keep the image path of each entry. */
    private static List<String> structHeads(Object value) {
        List<String> out = new ArrayList<>();
        Iterable<?> items =
                value instanceof Object[] arr ? List.of(arr) : value instanceof Collection<?> c ? c : List.of();
        for (Object item : items) {
            if (item instanceof org.freedesktop.dbus.Struct s) {
                Object[] parts = s.getParameters();
                out.add(parts.length > 0 ? String.valueOf(parts[0]) : s.toString());
            } else if (item instanceof Object[] parts && parts.length > 0) {
                out.add(String.valueOf(parts[0]));
            } else {
                out.add(String.valueOf(item));
            }
        }
        return out;
    }

    @Override
    public JobResult reloadUnit(String name, Duration timeout) {
        return awaitJob(name, "reload", timeout, () -> manager.ReloadUnit(name, "replace"));
    }

    @Override
    public JobResult restartUnit(String name, Duration timeout) {
        return awaitJob(name, "restart", timeout, () -> manager.RestartUnit(name, "replace"));
    }

    private JobResult awaitJob(
            String unit, String kind, Duration timeout, java.util.function.Supplier<DBusPath> start) {
        DBusPath job;
        try {
            job = start.get();
        } catch (DBusExecutionException e) {
            throw new SystemdException(kind + " of " + unit + " was refused by systemd: " + e.getMessage(), e);
        }
        CompletableFuture<Systemd1Manager.JobRemoved> done =
                jobs.computeIfAbsent(job.getPath(), k -> new CompletableFuture<>());
        try {
            Systemd1Manager.JobRemoved removed = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new JobResult(unit, kind, removed.result());
        } catch (TimeoutException e) {
            return new JobResult(unit, kind, "agent-timeout-" + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw new SystemdException(kind + " of " + unit + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException("interrupted while waiting for the " + kind + " of " + unit, e);
        } finally {
            jobs.remove(job.getPath());
        }
    }

    @Override
    public void daemonReload() {
        try {
            manager.Reload();
        } catch (DBusExecutionException e) {
            throw new SystemdException("daemon-reload failed: " + e.getMessage(), e);
        }
    }

    /** Whether the bus connection is still up (a restarted dbus or a host shutdown drops it). */
    public boolean connected() {
        return connection.isConnected();
    }

    /**
     * Calls {@code listener} (on the connection's signal thread) with the object path of every unit whose properties
     * change: systemd sends its {@code PropertiesChanged} signals to subscribed clients, and this connection is one
     * ({@code Subscribe()} in the constructor). Close the result to stop.
     */
    public AutoCloseable onUnitPropertiesChanged(java.util.function.Consumer<String> listener) {
        try {
            return connection.addSigHandler(Properties.PropertiesChanged.class, sig -> {
                if (sig.getPath() != null && sig.getPath().startsWith(UNIT_PATH_PREFIX)) {
                    listener.accept(sig.getPath());
                }
            });
        } catch (DBusException e) {
            throw new SystemdException("cannot listen to unit property changes: " + e.getMessage(), e);
        }
    }

    private static final String UNIT_PATH_PREFIX = "/org/freedesktop/systemd1/unit/";

    /**
     * systemd's object path of a unit: its name escaped as a bus label (every byte other than [A-Za-z0-9], and a
     * leading digit, as _xx in lower-case hex), e.g. {@code demo.service} -> {@code .../unit/demo_2eservice}.
     */
    public static String unitPath(String unit) {
        StringBuilder b = new StringBuilder(UNIT_PATH_PREFIX);
        byte[] bytes = unit.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && i > 0;
            if (alnum) {
                b.append((char) c);
            } else {
                b.append('_').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // the connection is closed next anyway
        }
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
