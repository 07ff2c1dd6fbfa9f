package io.confext.operator.revision;

import io.confext.api.revision.ResolvedSecret;
import io.confext.api.v1alpha1.SecretSource;
import java.util.Optional;

/**
 * A version already frozen from a Secret source keeps that content: the revision whose copy Secret still exists and
 * that was frozen from the same Secret with the same items. This is what lets an undo (which sets spec.source.secret
 * back, never the values) restore the exact files the nodes had, although the Secret may have been edited since.
 */
@FunctionalInterface
public interface PinnedSecrets {

    PinnedSecrets NONE = (version, source) -> Optional.empty();

    Optional<ResolvedSecret> find(String version, SecretSource source);
}
