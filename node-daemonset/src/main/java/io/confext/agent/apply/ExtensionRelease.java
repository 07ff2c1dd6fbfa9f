package io.confext.agent.apply;

/**
 * The extension-release file of a directory confext. {@code ID=_any} matches every host (man systemd-sysext);
 * the version is recorded with the {@code SYSEXT_} prefix that man os-release documents for identifying the
 * extension itself ("SYSEXT_ID=myext, SYSEXT_VERSION_ID=1.2.3"); systemd does not match on these, the agent's proof
 * reads them back from the unit's view.
 */
public final class ExtensionRelease {
    public static final String VERSION_KEY = "SYSEXT_VERSION_ID";
    /** Where a merged extension's release file shows, relative to the root. */
    public static final String DIRECTORY = "etc/extension-release.d";

    public static final String FILE_PREFIX = "extension-release.";

    private ExtensionRelease() {}

    public static String render(String bundle, String version) {
        return "ID=_any\nSYSEXT_ID=" + bundle + "\n" + VERSION_KEY + "=" + version + "\n";
    }

    public static String path(String bundle) {
        return DIRECTORY + "/" + FILE_PREFIX + bundle;
    }
}
