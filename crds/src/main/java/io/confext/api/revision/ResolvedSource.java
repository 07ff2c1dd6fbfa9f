package io.confext.api.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The content of a revision: exactly one of inline files (from {@code spec.source.files} or a
 * ConfigMap), an image, or the digests of a Secret source's files ({@link ResolvedSecret}: the content
 * itself is in a copy Secret, never in the revision).
 *
 * @param files the files of a directory extension, or null
 * @param image the image to download, or null
 * @param secret a Secret source's copy and file digests, or null (absent from the JSON, so revisions
 *     frozen before Secret sources existed keep their digest)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedSource(List<ResolvedFile> files, ResolvedImage image, ResolvedSecret secret) {

    public ResolvedSource {
        int given = (files == null ? 0 : 1) + (image == null ? 0 : 1) + (secret == null ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException("a revision source needs exactly one of files, image or secret");
        }
        files = files == null ? null : List.copyOf(files);
    }

    public ResolvedSource(List<ResolvedFile> files, ResolvedImage image) {
        this(files, image, null);
    }

    public static ResolvedSource ofFiles(List<ResolvedFile> files) {
        return new ResolvedSource(files, null, null);
    }

    public static ResolvedSource ofImage(ResolvedImage image) {
        return new ResolvedSource(null, image, null);
    }

    public static ResolvedSource ofSecret(ResolvedSecret secret) {
        return new ResolvedSource(null, null, secret);
    }
}
