package io.confext.agent.apply;

/**
 * The extension-release file of a directory confext. {@code ID=_any} matches every host (man systemd-sysext);
 * the version is recorded with the {@code SYSEXT_} prefix that man os-release documents for identifying the
 * extension itself ("SYSEXT_ID=myext, SYSEXT_VERSION_ID=1.2.3"); systemd does not match on these, the agent's proof
 * reads them back from the unit's view.
 */
public final class ExtensionRelease {
    public static final String VERSION_KEY = "SYSEXT_VERSION_ID";

    private ExtensionRelease() {
    }

    public static String render(String bundle, String version) {
        return "ID=_any\nSYSEXT_ID=" + bundle + "\n" + VERSION_KEY + "=" + version + "\n";
    }

    public static String path(String bundle) {
        return "etc/extension-release.d/extension-release." + bundle;
    }
}
