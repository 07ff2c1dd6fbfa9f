package io.confext.agent.oci;

import java.util.Optional;

/**
 * The pull Secrets an agent may read: by name, in its own (the release) namespace only, which the chart's Role
 * narrows further to the names it lists (docs/security.md).
 */
@FunctionalInterface
public interface PullSecrets {
    /** No Secret at all: every pull is anonymous. */
    PullSecrets NONE = name -> Optional.empty();

    /**
     * @return the {@code .dockerconfigjson} of the Secret, empty when there is no such Secret
     * @throws io.confext.api.oci.OciFailure InvalidPullSecret when it is of another type
     */
    Optional<byte[]> dockerConfigJson(String name);
}
