package io.confext.agent.trust;

import io.confext.api.v1alpha1.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The node's check of a bundle after admission, pure: the loaded node policy and what the bundle would write in, a
 * {@link NodeVerdict} out. Admission judges the bundle as written; this judges what reaches this node (an image's
 * own files, which admission never sees, and bundles admitted before a rule changed), against rules the cluster
 * cannot change.
 */
public final class NodeGate {
    /** Refusal reasons, as they appear in the bundle's status. */
    public static final String DENIED = io.confext.api.status.Reason.NodePolicyDenied.name();

    public static final String INVALID = io.confext.api.status.Reason.NodePolicyInvalid.name();
    /** A refusal names this many paths at most; the count says how many more. */
    static final int NAMED_PATHS = 5;

    private NodeGate() {}

    /**
     * @param bundle    the bundle's name, for the message
     * @param scope     the bundle's scope
     * @param paths     every path the bundle's version would put into /etc, relative to /etc (an image's directories,
     *                  files and symlinks; a files bundle's files)
     * @param fromImage whether the paths were read from the image (for the message)
     */
    public record Subject(String bundle, Scope scope, List<String> paths, boolean fromImage) {
        public Subject {
            paths = List.copyOf(paths);
        }
    }

    /** The refusal of every bundle while the policy file is broken (fail closed); empty when it is usable. */
    public static Optional<NodeVerdict.Refused> unusable(LoadedNodePolicy loaded) {
        if (loaded instanceof LoadedNodePolicy.Broken b) {
            return Optional.of(new NodeVerdict.Refused(
                    INVALID,
                    "node policy " + b.file() + " is not usable, so this node"
                            + " applies no bundle until it is fixed or removed: " + b.why()));
        }
        return Optional.empty();
    }

    public static NodeVerdict check(LoadedNodePolicy loaded, Subject s) {
        Optional<NodeVerdict.Refused> broken = unusable(loaded);
        if (broken.isPresent()) {
            return broken.get();
        }
        NodePolicy policy = loaded instanceof LoadedNodePolicy.Present p ? p.policy() : NodePolicy.NONE;
        String what = s.fromImage()
                ? "the image of bundle " + s.bundle() + " contains "
                : "bundle " + s.bundle() + " writes ";
        Optional<NodeVerdict> floor = denied(NodePolicy.FLOOR, s.paths())
                .map(hit -> new NodeVerdict.Refused(
                        DENIED,
                        "node policy floor: rule " + hit.entry() + ": " + what + named(hit.paths())
                                + " under /etc; no bundle may"
                                + " write trust anchors (verity.d/) or the agent's own policy (confext-operator/) on any node,"
                                + " whatever " + loaded.file() + " says"));
        if (floor.isPresent()) {
            return floor.get();
        }
        if (policy.allowedScopes().isPresent() && !policy.allowedScopes().get().contains(s.scope())) {
            return new NodeVerdict.Refused(
                    DENIED,
                    "node policy " + loaded.file() + ": rule allowedScopes: bundle "
                            + s.bundle() + " has scope " + s.scope() + ", this node allows only "
                            + policy.allowedScopes().get().stream()
                                    .map(Enum::name)
                                    .sorted()
                                    .collect(Collectors.joining(", ")));
        }
        return denied(policy.deniedPaths(), s.paths())
                .<NodeVerdict>map(hit -> new NodeVerdict.Refused(
                        DENIED,
                        "node policy " + loaded.file() + ": rule deniedPaths " + hit.entry() + ": " + what
                                + named(hit.paths()) + " under /etc, which this node denies"))
                .orElse(NodeVerdict.ALLOWED);
    }

    private record Hit(String entry, List<String> paths) {}

    /** The first deny-list entry that any path falls under, with every path it catches. */
    private static Optional<Hit> denied(List<String> entries, List<String> paths) {
        for (String e : entries) {
            List<String> hits = new ArrayList<>();
            for (String p : paths) {
                if (NodePolicy.matches(e, p)) {
                    hits.add(p);
                }
            }
            if (!hits.isEmpty()) {
                return Optional.of(new Hit(e, hits));
            }
        }
        return Optional.empty();
    }

    private static String named(List<String> paths) {
        String shown = paths.stream().sorted().limit(NAMED_PATHS).collect(Collectors.joining(", "));
        return paths.size() > NAMED_PATHS ? shown + " and " + (paths.size() - NAMED_PATHS) + " more" : shown;
    }
}
