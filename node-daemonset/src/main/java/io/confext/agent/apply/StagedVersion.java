package io.confext.agent.apply;

import java.nio.file.Path;
import java.util.Map;

/**
 * One version of a bundle as it will sit in a {@code .v/} directory: a directory tree for inline files, or (later,
 * from the verification engineer) a verified image file. Both are written completely under staging/ and then moved
 * in with one rename, so systemd never sees a part.
 */
public interface StagedVersion {
    String bundle();

    String version();

    /**
     * The name systemd knows the extension by: its {@code .v/} directory's and its release file's. The bundle's name,
     * except for a host-scope directory bundle (see {@link HostStackOrder}).
     */
    default String extensionName() {
        return bundle();
    }

    /** {@code <name>_<version>} or {@code <name>_<version>.raw}: the vpick entry name. */
    String entryName();

    /** Writes the complete entry at {@code target} (which does not exist yet) and fsyncs it. */
    void writeTo(Path target);

    /** The exact bytes of {@code etc/extension-release.d/extension-release.<name>} inside the entry. */
    String extensionRelease();

    /** Files (relative to /etc) and their content that a unit seeing this version must see. */
    Map<String, String> expectedFiles();
}
