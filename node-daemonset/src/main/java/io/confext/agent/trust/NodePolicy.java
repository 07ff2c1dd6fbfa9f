package io.confext.agent.trust;

import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's own last line after admission, as the platform team writes it into the host's
 * {@code /etc/confext-operator/policy.yaml} (see {@link NodePolicyParser}). A bundle cannot write that file: the
 * {@link #FLOOR} denies {@code confext-operator/} whatever the file says.
 *
 * @param deniedPaths         paths relative to {@code /etc} no bundle may ship here, in the admission policy's syntax:
 *                            {@code dir/} is the directory and everything below it, {@code x*} a prefix, anything else
 *                            one exact path
 * @param allowedScopes       the scopes a bundle may have here; empty: every scope
 * @param requireSignedImages image bundles must carry a root hash signature by a trusted certificate
 */
public record NodePolicy(List<String> deniedPaths, Optional<Set<Scope>> allowedScopes, boolean requireSignedImages) {
    /**
     * What no bundle may write on any node, whatever the policy file says: the trust anchors the agent checks images
     * against ({@code verity.d}) and the agent's own policy. A bundle writing either would lift every other check.
     */
    public static final List<String> FLOOR = List.of("verity.d/", "confext-operator/");

    /** No file: the floor only. */
    public static final NodePolicy NONE = new NodePolicy(List.of(), Optional.empty(), false);

    public NodePolicy {
        deniedPaths = List.copyOf(deniedPaths);
        allowedScopes = allowedScopes.map(Set::copyOf);
    }

    /**
     * Whether {@code path} (relative to /etc) falls under the deny-list entry {@code entry}: the same rule as the
     * admission policy's {@code denied-path}, so a path denied there is denied here.
     */
    public static boolean matches(String entry, String path) {
        return path.equals(entry)
                || (path + "/").equals(entry)
                || (entry.endsWith("/") && path.startsWith(entry))
                || (entry.endsWith("*") && path.startsWith(entry.substring(0, entry.length() - 1)));
    }
}
