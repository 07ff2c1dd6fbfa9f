package io.confext.agent.apply;

import io.confext.agent.host.HostCommands;
import io.confext.agent.host.HostFiles;
import java.time.Duration;
import java.util.Optional;

/**
 * The one way the agent runs {@code systemd-confext refresh}: forced where the host supports it (262 may skip a
 * refresh it thinks unchanged), and mutable with writes routed to the real /etc where the host can (see
 * {@link HostMergePlan}). The applier and the restore at start both call it, so a restore never merges /etc
 * read-only again.
 */
final class HostConfextRefresh {

    private HostConfextRefresh() {}

    static void run(HostFiles host, long hostPid, int systemdVersion, Optional<String> imagePolicy, Duration timeout) {
        HostMergePlan plan = HostMergePlan.of(
                systemdVersion, systemdVersion >= ActivationPlanner.REFRESH_ON_RELOAD_SINCE, imagePolicy);
        if (plan.writable()) {
            EtcWriteRouting.ensure(host);
        }
        new HostCommands(hostPid).runOk(timeout, plan.refreshArgv().toArray(String[]::new));
    }
}
