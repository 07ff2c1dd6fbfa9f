package io.confext.api.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The content of a revision: exactly one of inline files (from {@code spec.source.files} or a
 * ConfigMap) or an image.
 *
 * @param files the files of a directory extension, or null for an image
 * @param image the image to download, or null for files
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedSource(List<ResolvedFile> files, ResolvedImage image) {

    public ResolvedSource {
        if ((files == null) == (image == null)) {
            throw new IllegalArgumentException("a revision source needs exactly one of files or image");
        }
        files = files == null ? null : List.copyOf(files);
    }

    public static ResolvedSource ofFiles(List<ResolvedFile> files) {
        return new ResolvedSource(files, null);
    }

    public static ResolvedSource ofImage(ResolvedImage image) {
        return new ResolvedSource(null, image);
    }
}
