package io.confext.api.oci;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code REGISTRY/REPOSITORY[:TAG][@sha256:HEX]}, the grammar of {@code spec.source.oci.reference} (the CRD's CEL rule
 * is the same expression). There is no implicit registry (no {@code docker.io}) and only sha256 digests.
 *
 * @param registry host[:port]
 * @param repository the path in the registry, lower case
 * @param tag the tag, or null
 * @param digest {@code sha256:<64 hex>}, or null
 */
public record OciReference(String registry, String repository, String tag, String digest) {
    private static final String COMPONENT = "[a-z0-9]+(?:[._-][a-z0-9]+|__[a-z0-9]+)*";
    static final Pattern GRAMMAR = Pattern.compile("^([a-zA-Z0-9.-]+(?::[0-9]{1,5})?)/(" + COMPONENT + "(?:/"
            + COMPONENT + ")*)" + "(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$");
    private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");

    public OciReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("an OCI reference needs a tag or a digest");
        }
    }

    /** @throws IllegalArgumentException naming the rule the text breaks */
    public static OciReference parse(String text) {
        Matcher m = GRAMMAR.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not REGISTRY/REPOSITORY[:TAG][@sha256:<64 lowercase hex>]");
        }
        if (m.group(3) == null && m.group(4) == null) {
            throw new IllegalArgumentException("'" + text + "' names neither a tag nor a digest");
        }
        return new OciReference(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    public static boolean isDigest(String s) {
        return s != null && DIGEST.matcher(s).matches();
    }

    /** The digest when the reference has one, else the tag: what to ask the registry for. */
    public String manifestKey() {
        return digest != null ? digest : tag;
    }

    public OciReference pinned(String manifestDigest) {
        return new OciReference(registry, repository, tag, manifestDigest);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
