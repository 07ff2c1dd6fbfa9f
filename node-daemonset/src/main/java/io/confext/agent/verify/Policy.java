package io.confext.agent.verify;

import java.util.Optional;

/**
 * What an image must satisfy. Built by the agent from the bundle revision and the node's facts, or
 * by the offline command from its flags.
 *
 * @param architecture the host architecture: only root partitions of it are used
 * @param expectedSha256 lowercase hex sha256 of the whole image file, when the bundle pins one
 * @param requireSignature refuse images whose root hash is not signed by a trusted certificate
 * @param trusted the certificates a signature may come from
 * @param host the host to check extension-release against; empty skips that check (offline use without --os-release)
 * @param scope the scope the image is used in
 * @param extensionName the NAME whose {@code extension-release.NAME} is required; empty: derived from the image file name
 * @param maxTreeBytes cap on the total size of regular files in the image
 * @param maxEntries cap on the number of entries in the image tree
 */
public record Policy(
        Architecture architecture,
        Optional<String> expectedSha256,
        boolean requireSignature,
        TrustedCertificates trusted,
        Optional<HostRelease> host,
        ExtensionReleaseMatcher.Scope scope,
        Optional<String> extensionName,
        long maxTreeBytes,
        int maxEntries) {
    public static final long DEFAULT_MAX_TREE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    /** Signature required, no host check, default caps; adjust with the {@code with*} methods. */
    public static Policy signedBy(TrustedCertificates trusted) {
        return new Policy(
                Architecture.ofThisMachine(),
                Optional.empty(),
                true,
                trusted,
                Optional.empty(),
                ExtensionReleaseMatcher.Scope.SYSTEM,
                Optional.empty(),
                DEFAULT_MAX_TREE_BYTES,
                DEFAULT_MAX_ENTRIES);
    }

    public Policy withArchitecture(Architecture arch) {
        return new Policy(
                arch, expectedSha256, requireSignature, trusted, host, scope, extensionName, maxTreeBytes, maxEntries);
    }

    public Policy withSha256(String hex) {
        return new Policy(
                architecture,
                Optional.ofNullable(hex),
                requireSignature,
                trusted,
                host,
                scope,
                extensionName,
                maxTreeBytes,
                maxEntries);
    }

    public Policy withRequireSignature(boolean required) {
        return new Policy(
                architecture, expectedSha256, required, trusted, host, scope, extensionName, maxTreeBytes, maxEntries);
    }

    public Policy withHost(HostRelease facts, ExtensionReleaseMatcher.Scope s) {
        return new Policy(
                architecture,
                expectedSha256,
                requireSignature,
                trusted,
                Optional.ofNullable(facts),
                s,
                extensionName,
                maxTreeBytes,
                maxEntries);
    }

    public Policy withExtensionName(String name) {
        return new Policy(
                architecture,
                expectedSha256,
                requireSignature,
                trusted,
                host,
                scope,
                Optional.ofNullable(name),
                maxTreeBytes,
                maxEntries);
    }

    public Policy withMaxTreeBytes(long max) {
        return new Policy(
                architecture, expectedSha256, requireSignature, trusted, host, scope, extensionName, max, maxEntries);
    }
}
