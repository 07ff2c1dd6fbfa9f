package io.confext.agent.systemd;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The part of {@code org.freedesktop.systemd1.Manager} the agent uses (names as systemd exports them). */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {
    void Subscribe();

    DBusPath LoadUnit(String name);

    DBusPath ReloadUnit(String name, String mode);

    DBusPath RestartUnit(String name, String mode);

    DBusPath StartUnit(String name, String mode);

    /** daemon-reload: synchronous, returns when the manager has re-read all unit files. */
    void Reload();

    /** Emitted when a job finishes; result is done, canceled, timeout, failed, dependency or skipped. */
    class JobRemoved extends DBusSignal {
        private final long id;
        private final DBusPath job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.id = id.longValue();
            this.job = job;
            this.unit = unit;
            this.result = result;
        }

        public long id() {
            return id;
        }

        public String jobPath() {
            return job.getPath();
        }

        public String unit() {
            return unit;
        }

        public String result() {
            return result;
        }
    }
}
