package io.confext.agent.apply;

/**
 * What a process sees of a bundle in its /etc.
 *
 * @param version        the version in the extension-release file it sees, null when it sees no such file
 * @param complete       every file of that version is there with the right content (only checked against the
 *                       version the caller expects)
 */
public record SeenVersion(String version, boolean complete, String detail) {
    public static SeenVersion absent() {
        return new SeenVersion(null, true, "no extension-release file");
    }

    public boolean sees(String v) {
        return v != null && v.equals(version) && complete;
    }
}
