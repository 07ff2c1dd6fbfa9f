package io.confext.api.revision;

import java.util.Objects;

/**
 * One file of a Secret source: where its content is in the copy Secret, where it goes, and what it must hash to.
 *
 * @param key the key of the copy Secret (the source Secret's key) holding the content
 * @param path relative to /etc (validated by the CRD)
 * @param mode octal string 0000..0777, defaults to 0600
 * @param sha256 lowercase hex sha256 of the file's bytes
 */
public record ResolvedSecretFile(String key, String path, String mode, String sha256) {

    public static final String DEFAULT_MODE = "0600";

    public ResolvedSecretFile {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        mode = mode == null ? DEFAULT_MODE : mode;
    }
}
