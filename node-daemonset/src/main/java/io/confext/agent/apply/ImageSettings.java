package io.confext.agent.apply;

import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.oci.PullSecrets;
import java.util.List;
import java.util.Optional;

/**
 * How the agent downloads and mounts image bundles.
 *
 * @param fetch        timeouts, retries, TLS trust of the downloads
 * @param maxImageBytes largest image accepted when the bundle sets no {@code sizeLimitBytes} (the bundle may only
 *                     lower it)
 * @param imagePolicy  systemd image policy for the mounts ({@code ExtensionImagePolicy=} in service drop-ins,
 *                     {@code systemd-confext --image-policy=} for host scope); empty: systemd's default, which uses
 *                     the kernel's dm-verity where the DDI has it. A host without device-mapper needs
 *                     {@code root=unprotected+absent:usr=absent}: the agent's own user-space verification is then
 *                     the only check, as it is the first one everywhere.
 * @param pullSecrets  the pull Secrets of OCI sources ({@code source.oci.pullSecretName}) the agent may read
 */
public record ImageSettings(
        FetchSettings fetch, long maxImageBytes, Optional<String> imagePolicy, PullSecrets pullSecrets) {
    public static final long DEFAULT_MAX_IMAGE_BYTES = 1L << 30;

    public ImageSettings {
        imagePolicy = imagePolicy.map(String::strip).filter(s -> !s.isEmpty());
        if (imagePolicy.isPresent() && !imagePolicy.get().matches("[A-Za-z0-9=+:._-]+")) {
            throw new IllegalArgumentException(
                    "image policy '" + imagePolicy.get() + "' is not a systemd image policy string"
                            + " (man systemd.image-policy), e.g. root=verity+signed:usr=absent");
        }
        pullSecrets = pullSecrets == null ? PullSecrets.NONE : pullSecrets;
        if (maxImageBytes <= 0) {
            throw new IllegalArgumentException("the image size limit must be positive, got " + maxImageBytes);
        }
    }

    /** Without pull Secrets: OCI pulls are anonymous. */
    public ImageSettings(FetchSettings fetch, long maxImageBytes, Optional<String> imagePolicy) {
        this(fetch, maxImageBytes, imagePolicy, PullSecrets.NONE);
    }

    public ImageSettings withPullSecrets(PullSecrets secrets) {
        return new ImageSettings(fetch, maxImageBytes, imagePolicy, secrets);
    }

    public static ImageSettings defaults() {
        return new ImageSettings(FetchSettings.defaults(), DEFAULT_MAX_IMAGE_BYTES, Optional.empty());
    }

    public ImageSettings withImagePolicy(String policy) {
        return new ImageSettings(fetch, maxImageBytes, Optional.ofNullable(policy), pullSecrets);
    }

    public ImageSettings withFetch(FetchSettings f) {
        return new ImageSettings(f, maxImageBytes, imagePolicy, pullSecrets);
    }

    /**
     * Whether systemd may use the kernel's dm-verity for an image's root partition under {@link #imagePolicy}: only
     * then are a naked image's verity sidecars installed next to it. With sidecars present systemd insists on
     * dm-verity, and a policy without {@code verity}/{@code signed} for root refuses the mount outright (seen on
     * systemd 262 as ERFKILL, "Operation not possible due to RF-kill").
     */
    public boolean kernelVerity() {
        if (imagePolicy.isEmpty()) {
            return true;
        }
        for (String part : imagePolicy.get().split(":")) {
            if (part.startsWith("root=")) {
                List<String> flags = List.of(part.substring(5).split("\\+"));
                return flags.contains("verity") || flags.contains("signed");
            }
        }
        return true;
    }

    /** The limit for one bundle: its own, but never above the agent's. */
    public long limitFor(Long bundleLimit) {
        return bundleLimit == null ? maxImageBytes : Math.min(bundleLimit, maxImageBytes);
    }
}
