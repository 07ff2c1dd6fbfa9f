package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Resolved;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.api.v1alpha1.DesiredBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the set handed to {@code HostApplier.converge} (pure: no I/O).
 * <p>
 * {@code converge} removes every bundle that is absent from its argument, so a bundle whose new
 * revision cannot be used (missing, digest mismatch) must not simply be left out: that would strip
 * the config the host's services use now. Such a bundle keeps the content last handed to the host;
 * when this process never handed any (just restarted) but the host is known to have the bundle,
 * the whole pass holds and the host stays as it is until the revision can be read.
 */
public final class ConvergencePlanner {

    /**
     * @param desired the ConfextNode's spec bundles, in spec order
     * @param resolutions the resolution of each desired bundle, by bundle name
     * @param lastApplied the content last handed to the host in this process, by bundle name
     * @param onHost bundle names the node's status reports as present on the host
     */
    public ConvergencePlan plan(
            List<DesiredBundle> desired,
            Map<String, RevisionRead> resolutions,
            Map<String, DesiredBundleContent> lastApplied,
            Set<String> onHost) {
        List<DesiredBundleContent> set = new ArrayList<>();
        Map<String, Unresolved> unresolved = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (DesiredBundle bundle : desired) {
            RevisionRead resolution = resolutions.get(bundle.getName());
            if (resolution instanceof Resolved resolved) {
                set.add(resolved.content());
                continue;
            }
            Unresolved why = resolution instanceof Unresolved u
                    ? u
                    : Unresolved.missing("revision of bundle " + bundle.getName() + " was not resolved");
            unresolved.put(bundle.getName(), why);
            DesiredBundleContent previous = lastApplied.get(bundle.getName());
            if (previous != null) {
                set.add(previous);
            } else if (onHost.contains(bundle.getName())) {
                unknown.add(bundle.getName());
            }
        }
        if (!unknown.isEmpty()) {
            return new ConvergencePlan(
                    null,
                    unresolved,
                    "the host has bundle(s) " + String.join(", ", unknown)
                            + " whose new revision cannot be used and whose current content this agent has not read"
                            + " yet; leaving the host unchanged");
        }
        return new ConvergencePlan(List.copyOf(set), unresolved, null);
    }
}
