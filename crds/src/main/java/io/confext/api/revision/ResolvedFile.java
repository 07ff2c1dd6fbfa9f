package io.confext.api.revision;

import java.util.Objects;

/**
 * One file of a directory extension.
 *
 * @param path relative to /etc (validated by the CRD)
 * @param content UTF-8 text
 * @param mode octal string 0000..0777, defaults to 0644
 */
public record ResolvedFile(String path, String content, String mode) {

    public ResolvedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        mode = mode == null ? "0644" : mode;
    }
}
