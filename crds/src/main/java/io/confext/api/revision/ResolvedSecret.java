package io.confext.api.revision;

import java.util.List;
import java.util.Objects;

/**
 * The files of a Secret source as frozen into a revision: never their content (every agent may read every
 * ControllerRevision), only where the per-revision copy Secret that holds it is (a namespace that holds nothing but
 * such copies) and each file's sha256. The agent fetches the copy by name and refuses a file whose content has
 * another digest.
 *
 * @param copy name of the immutable copy Secret
 * @param copyNamespace namespace of the copy Secret
 * @param namespace namespace of the source Secret (spec.source.secret.namespace), for undo and the status
 * @param name name of the source Secret
 * @param items true when spec.source.secret listed items (so that an undo restores them as given)
 * @param files the files, in the order they are staged
 */
public record ResolvedSecret(
        String copy,
        String copyNamespace,
        String namespace,
        String name,
        boolean items,
        List<ResolvedSecretFile> files) {

    public ResolvedSecret {
        Objects.requireNonNull(copy, "copy");
        Objects.requireNonNull(copyNamespace, "copyNamespace");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        files = List.copyOf(Objects.requireNonNull(files, "files"));
    }
}
