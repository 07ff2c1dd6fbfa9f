package io.confext.agent.apply;

import io.confext.api.v1alpha1.ReloadMode;
import java.util.List;

/**
 * The agent's host side in a process of its own, for the crash test: {@code CrashDriver HOSTPID UNIT VERSION STEP [fail]}
 * converges to the demo bundle at VERSION (with "fail": a version whose reload fails, so the agent rolls back); when
 * STEP is reached it prints "AT STEP" and waits to be SIGKILLed ("-" = never stop). Prints
 * "DONE <phase> <activeVersion>" when it finishes. Started by {@code CrashRuns.run} for SIGTERM, it stops its
 * converge on SIGTERM the way the agent's work loop does (see {@link CrashRuns#converge}).
 */
public final class CrashDriver {
    private CrashDriver() {}

    public static void main(String[] args) throws Exception {
        long hostPid = Long.parseLong(args[0]);
        String unit = args[1];
        String version = args[2];
        String stopAt = args[3];
        boolean failReload = args.length > 4 && args[4].equals("fail");
        StepObserver observer = CrashRuns.pauseAt(stopAt);
        SystemdHostApplier applier = new SystemdHostApplier(
                hostPid,
                ApplierSettings.defaults().withAgentVersion("test").withJobTimeout(java.time.Duration.ofSeconds(60)),
                observer);
        CrashRuns.converge(
                applier,
                () -> applier.converge(List.of(Bundles.service(unit, version, ReloadMode.Reload, failReload))));
    }
}
