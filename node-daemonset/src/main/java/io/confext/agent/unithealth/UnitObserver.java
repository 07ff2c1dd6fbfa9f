package io.confext.agent.unithealth;

import io.confext.agent.apply.ViewReader;
import io.confext.agent.host.CommandResult;
import io.confext.agent.host.HostCommands;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.systemd.UnitProperties;
import java.time.Duration;
import java.util.List;

/** Looks at a unit the way {@link UnitHealthRules} needs it: systemd's view, what its main process sees, its journal. */
final class UnitObserver {
    static final int JOURNAL_LINES = 5;
    private static final Duration JOURNAL_TIMEOUT = Duration.ofSeconds(5);

    private final Systemd systemd;
    private final ViewReader views;
    private final HostCommands commands;

    UnitObserver(Systemd systemd, ViewReader views, HostCommands commands) {
        this.systemd = systemd;
        this.views = views;
        this.commands = commands;
    }

    UnitHealthRules.Observed observe(String unit, String bundle) {
        UnitProperties p = systemd.unit(unit);
        // the version in the extension-release the main process sees: a lost or replaced view shows there
        String sees = p.mainPid() > 0 ? views.seen(p.mainPid(), bundle, null).version() : null;
        return new UnitHealthRules.Observed(
                unit,
                p.activeState(),
                p.subState(),
                p.mainPid(),
                p.lastRun().result(),
                p.lastRun().status(),
                sees,
                p.oneshot());
    }

    /**
     * The unit's last journal lines, read in the host's namespaces ({@code journalctl -u UNIT -n 5}), as "; last
     * journal lines: a | b"; empty when the journal cannot be read (no journald, no permission): the verdict stands
     * without them.
     */
    String journalTail(String unit) {
        try {
            CommandResult r = commands.run(
                    JOURNAL_TIMEOUT,
                    "journalctl",
                    "-u",
                    unit,
                    "-n",
                    Integer.toString(JOURNAL_LINES),
                    "--no-pager",
                    "-q",
                    "-o",
                    "cat");
            List<String> lines = r.stdout()
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
            if (r.exitCode() != 0 || lines.isEmpty()) {
                return "";
            }
            return "; last journal lines: " + String.join(" | ", lines);
        } catch (RuntimeException e) {
            return "";
        }
    }
}
