package io.confext.kubectl;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the plugin's Maven version, from the jar's manifest (none when run from classes). */
final class PluginVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = KubectlConfext.class.getPackage().getImplementationVersion();
        return new String[] {"kubectl-confext " + (v == null ? "(development build)" : v)};
    }
}
