package io.confext.agent.systemd;

import java.time.Duration;

/** What the agent needs from the host's service manager. */
public interface Systemd extends AutoCloseable {
    /** The manager's {@code Version} property, e.g. "262-1" or "257.13-1~deb13u1". */
    String version();

    /** The manager's {@code Architecture} property, e.g. "x86-64". */
    String architecture();

    UnitProperties unit(String name);

    JobResult reloadUnit(String name, Duration timeout);

    JobResult restartUnit(String name, Duration timeout);

    /** daemon-reload. */
    void daemonReload();

    @Override
    void close();
}
