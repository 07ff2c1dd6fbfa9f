package io.confext.agent.trust;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.confext.api.v1alpha1.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the node policy file. The format (every key optional):
 *
 * <pre>
 * deniedPaths: [ssh/, sudoers, "cron*"]   # relative to /etc; dir/, prefix*, or an exact path
 * allowedScopes: [Service]                # left out: every scope
 * requireSignedImages: true               # left out: false
 * </pre>
 *
 * Unknown keys and malformed entries are errors, not ignored: a misspelt rule must refuse bundles (fail closed),
 * never silently allow what it was meant to deny.
 */
public final class NodePolicyParser {
    /** The file is a few lines; anything this big is not a policy a person wrote. */
    public static final int MAX_BYTES = 64 * 1024;

    static final int MAX_ENTRIES = 1000;
    static final int MAX_ENTRY_LENGTH = 4096;

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private NodePolicyParser() {}

    /** The file as written; Jackson fills it, {@link #parse} checks it. */
    record File(
            @JsonProperty("deniedPaths") List<String> deniedPaths,
            @JsonProperty("allowedScopes") List<String> allowedScopes,
            @JsonProperty("requireSignedImages") Boolean requireSignedImages) {}

    /** @throws IllegalArgumentException with a message naming what is wrong, for the NodePolicyInvalid status */
    public static NodePolicy parse(String yaml) {
        if (yaml.length() > MAX_BYTES) {
            throw new IllegalArgumentException("it is larger than " + MAX_BYTES + " bytes");
        }
        if (yaml.isBlank()) {
            return NodePolicy.NONE; // an empty file: the floor only, as without one
        }
        File f;
        try {
            var tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return NodePolicy.NONE; // comments only
            }
            f = YAML.treeToValue(tree, File.class);
        } catch (Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("it is not a node policy (keys deniedPaths, allowedScopes,"
                    + " requireSignedImages): " + m.lines().findFirst().orElse(m));
        }
        if (f == null) {
            return NodePolicy.NONE;
        }
        return new NodePolicy(
                deniedPaths(f.deniedPaths()), scopes(f.allowedScopes()), Boolean.TRUE.equals(f.requireSignedImages()));
    }

    private static List<String> deniedPaths(List<String> in) {
        if (in == null) {
            return List.of();
        }
        if (in.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("deniedPaths has more than " + MAX_ENTRIES + " entries");
        }
        List<String> out = new ArrayList<>();
        for (String e : in) {
            if (e == null || e.isBlank() || e.startsWith("/") || e.length() > MAX_ENTRY_LENGTH || e.equals("*")) {
                throw new IllegalArgumentException("deniedPaths entry " + (e == null ? "null" : "'" + e + "'")
                        + " is not a path relative to /etc (dir/, prefix* or an exact path; '*' alone would deny"
                        + " every bundle: set allowedScopes: [] for that)");
            }
            out.add(e);
        }
        return out;
    }

    private static Optional<Set<Scope>> scopes(List<String> in) {
        if (in == null) {
            return Optional.empty();
        }
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (String s : in) {
            try {
                out.add(Scope.valueOf(s));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("allowedScopes entry '" + s + "' is not a scope (Service, Host)");
            }
        }
        return Optional.of(out);
    }
}
