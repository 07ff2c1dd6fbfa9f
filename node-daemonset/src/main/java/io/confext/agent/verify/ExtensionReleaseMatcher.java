package io.confext.agent.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides whether a confext's extension-release matches the host, with the rules of systemd's
 * {@code extension_release_validate()} (DESIGN.md "extension-release"), so an image the agent
 * accepts is one systemd will merge. Pure: no I/O.
 *
 * <p>Order: non-empty; {@code CONFEXT_SCOPE} (default {@code system portable}) must name the
 * requested scope; {@code ARCHITECTURE} unset, {@code _any} or the host's; {@code ID} required,
 * {@code _any} ends the check with a match, else equal to the host's ID (or listed in the host's
 * {@code ID_LIKE} for systemd >= 258); a host with neither {@code VERSION_ID} nor
 * {@code CONFEXT_LEVEL} matches; when both define {@code CONFEXT_LEVEL} they must be equal; else
 * {@code VERSION_ID} must be equal.
 */
public final class ExtensionReleaseMatcher {
    public static final int ID_LIKE_SINCE = 258;

    /** The scope the image is used in: {@code system} for host merges, {@code portable} for per-service images. */
    public enum Scope {
        SYSTEM("system"),
        PORTABLE("portable"),
        ANY(null);

        private final String word;

        Scope(String word) {
            this.word = word;
        }
    }

    public List<Reason> match(Map<String, String> ext, HostRelease host, Scope scope) {
        List<Reason> reasons = new ArrayList<>();
        if (ext.isEmpty()) {
            reasons.add(new Reason(
                    ReasonCode.EXTENSION_RELEASE_EMPTY, "the extension-release file is empty; it needs at least ID="));
            return reasons;
        }
        String builtFor = builtFor(ext);
        if (scope.word != null) {
            String scopes = ext.getOrDefault("CONFEXT_SCOPE", "system portable");
            if (!Arrays.asList(scopes.trim().split("\\s+")).contains(scope.word)) {
                reasons.add(new Reason(
                        ReasonCode.EXTENSION_SCOPE_MISMATCH,
                        "CONFEXT_SCOPE=\"" + scopes + "\" does not include '" + scope.word
                                + "', the scope this bundle is used in"));
            }
        }
        String arch = ext.getOrDefault("ARCHITECTURE", "");
        if (!arch.isEmpty() && !arch.equals("_any") && !arch.equals(host.architecture())) {
            reasons.add(new Reason(
                    ReasonCode.EXTENSION_ARCHITECTURE_MISMATCH,
                    "built for ARCHITECTURE=" + arch + ", host is " + host.architecture()));
        }
        String id = ext.getOrDefault("ID", "");
        if (id.isEmpty()) {
            reasons.add(new Reason(
                    ReasonCode.EXTENSION_ID_MISSING, "the extension-release has no ID= (use ID=_any for every host)"));
            return reasons;
        }
        if (id.equals("_any")) {
            return reasons;
        }
        if (!id.equals(host.id()) && !inIdLike(id, host)) {
            String like = host.osRelease().getOrDefault("ID_LIKE", "");
            String note = like.isEmpty()
                    ? ""
                    : host.systemdVersion() >= ID_LIKE_SINCE
                            ? " (ID_LIKE=\"" + like + "\")"
                            : " (host systemd " + host.systemdVersion() + " < " + ID_LIKE_SINCE
                                    + " does not match ID_LIKE=\"" + like + "\")";
            reasons.add(new Reason(
                    ReasonCode.EXTENSION_ID_MISMATCH, "built for " + builtFor + ", host is " + host.describe() + note));
            return reasons;
        }
        String hostVersion = host.osRelease().getOrDefault("VERSION_ID", "");
        String hostLevel = host.osRelease().getOrDefault("CONFEXT_LEVEL", "");
        if (hostVersion.isEmpty() && hostLevel.isEmpty()) {
            return reasons;
        }
        String extLevel = ext.getOrDefault("CONFEXT_LEVEL", "");
        if (!hostLevel.isEmpty() && !extLevel.isEmpty()) {
            if (!hostLevel.equals(extLevel)) {
                reasons.add(new Reason(
                        ReasonCode.EXTENSION_LEVEL_MISMATCH, "built for " + builtFor + ", host is " + host.describe()));
            }
        } else if (!hostVersion.isEmpty()) {
            String extVersion = ext.getOrDefault("VERSION_ID", "");
            if (!hostVersion.equals(extVersion)) {
                reasons.add(new Reason(
                        ReasonCode.EXTENSION_VERSION_MISMATCH,
                        "built for " + builtFor + ", host is " + host.describe()
                                + (extVersion.isEmpty()
                                        ? "; set VERSION_ID=, CONFEXT_LEVEL= or ID=_any in the extension-release"
                                        : "")));
            }
        }
        return reasons;
    }

    private static boolean inIdLike(String id, HostRelease host) {
        if (host.systemdVersion() < ID_LIKE_SINCE) {
            return false;
        }
        return Arrays.asList(host.osRelease().getOrDefault("ID_LIKE", "").trim().split("\\s+"))
                .contains(id);
    }

    private static String builtFor(Map<String, String> ext) {
        return List.of("ID", "VERSION_ID", "CONFEXT_LEVEL", "ARCHITECTURE").stream()
                .filter(k -> !ext.getOrDefault(k, "").isEmpty())
                .map(k -> k + "=" + ext.get(k))
                .collect(Collectors.joining(" "));
    }
}
