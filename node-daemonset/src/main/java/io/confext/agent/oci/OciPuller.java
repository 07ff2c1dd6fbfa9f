package io.confext.agent.oci;

import io.confext.agent.fetch.FetchFailure;
import io.confext.agent.fetch.FetchRequest;
import io.confext.agent.fetch.FetchResult;
import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.fetch.ImageFetcher;
import io.confext.agent.fetch.RoomCheck;
import io.confext.api.oci.ConfextArtifact;
import io.confext.api.oci.Descriptor;
import io.confext.api.oci.OciFailure;
import io.confext.api.oci.RegistryClient;
import io.confext.api.oci.RegistryCredentials;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedOci;
import io.confext.api.status.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Pulls a confext artifact by its pinned manifest digest into a staging directory: the manifest, checked against
 * that digest and the layout; then each layer streamed through {@link ImageFetcher} with the layer's digest pinned, so
 * every byte written is checked while it arrives and a mismatch leaves nothing behind. The image must be the layer
 * the revision pins ({@link ResolvedImage#sha256()}). What lands here is still unverified: the caller runs the
 * image checks next, as for an HTTPS image.
 */
public final class OciPuller {
    private final FetchSettings fetch;
    private final PullSecrets secrets;
    private final ImageFetcher.Sleeper sleeper;

    public OciPuller(FetchSettings fetch, PullSecrets secrets) {
        this(fetch, secrets, d -> Thread.sleep(d.toMillis()));
    }

    public OciPuller(FetchSettings fetch, PullSecrets secrets, ImageFetcher.Sleeper sleeper) {
        this.fetch = fetch;
        this.secrets = secrets;
        this.sleeper = sleeper;
    }

    public sealed interface Result {
        /** @param image the image file at the path asked for; its sidecars (those the artifact has) next to it */
        record Pulled(Path image, String manifestDigest) implements Result {}

        record Failed(Reason reason, String message) implements Result {}
    }

    /**
     * @param raw where the image goes; its sidecars go next to it as {@code name.verity}, {@code name.roothash},
     *            {@code name.roothash.p7s} (name = raw's file name less {@code .raw})
     */
    public Result pull(ResolvedImage image, long maxBytes, Path raw) {
        return pull(image, maxBytes, raw, RoomCheck.ANY);
    }

    /** @param room asked before each layer writes its first byte: is there room on the node's disk? */
    public Result pull(ResolvedImage image, long maxBytes, Path raw, RoomCheck room) {
        ResolvedOci oci = image.oci();
        String where = oci.pinnedReference();
        try {
            Optional<SSLContext> tls = oci.caBundle() == null
                    ? fetch.sslContext()
                    : Optional.of(RegistryClient.trusting(oci.caBundle(), "the revision's caBundle of " + where));
            RegistryClient registry = new RegistryClient(
                    oci.registry(),
                    credentials(oci),
                    tls,
                    fetch.connectTimeout().plus(fetch.stallTimeout()));
            ConfextArtifact artifact = ConfextArtifact.of(
                    registry.manifest(oci.repository(), oci.manifestDigest()).bytes(), where);
            if (!artifact.image().sha256Hex().equals(image.sha256())) {
                return new Result.Failed(
                        Reason.OciDigestMismatch,
                        where + " names image layer " + artifact.image().digest() + ", but the revision pins sha256:"
                                + image.sha256());
            }
            ImageFetcher fetcher =
                    new ImageFetcher(tls.map(fetch::withSslContext).orElse(fetch), sleeper);
            Map<String, String> headers = registry.authorization()
                    .map(a -> Map.of("Authorization", a))
                    .orElse(Map.of());
            Optional<Result> failed =
                    layer(fetcher, registry, oci, artifact.image(), maxBytes, headers, room, raw, "the image layer");
            if (failed.isPresent()) {
                return failed.get();
            }
            String file = raw.getFileName().toString();
            String base = file.endsWith(".raw") ? file.substring(0, file.length() - 4) : file;
            for (Map.Entry<String, Descriptor> s : artifact.sidecars().entrySet()) {
                failed = layer(
                        fetcher,
                        registry,
                        oci,
                        s.getValue(),
                        maxBytes,
                        headers,
                        room,
                        raw.resolveSibling(base + s.getKey()),
                        "the " + s.getKey() + " layer");
                if (failed.isPresent()) {
                    return failed.get();
                }
            }
            return new Result.Pulled(raw, oci.manifestDigest());
        } catch (OciFailure e) {
            return new Result.Failed(e.reason(), e.getMessage());
        }
    }

    private Optional<RegistryCredentials> credentials(ResolvedOci oci) {
        if (oci.pullSecretName() == null) {
            return Optional.empty();
        }
        byte[] config = secrets.dockerConfigJson(oci.pullSecretName())
                .orElseThrow(() -> new OciFailure(
                        Reason.PullSecretNotFound,
                        "pull Secret " + oci.pullSecretName() + " does not exist in the agent's namespace"));
        return Optional.of(RegistryCredentials.fromDockerConfig(config, oci.registry(), oci.pullSecretName())
                .orElseThrow(() -> new OciFailure(
                        Reason.InvalidPullSecret,
                        "pull Secret " + oci.pullSecretName() + " has no credentials for " + oci.registry()
                                + " in its .dockerconfigjson")));
    }

    private static Optional<Result> layer(
            ImageFetcher fetcher,
            RegistryClient registry,
            ResolvedOci oci,
            Descriptor d,
            long maxBytes,
            Map<String, String> headers,
            RoomCheck room,
            Path target,
            String what) {
        String where = oci.pinnedReference();
        if (d.size() > maxBytes) {
            return Optional.of(new Result.Failed(
                    Reason.DownloadTooLarge,
                    what + " of " + where + " is " + d.size() + " bytes, above the limit of " + maxBytes));
        }
        FetchResult r = fetcher.fetch(
                new FetchRequest(
                        registry.blobUri(oci.repository(), d.digest()), d.sha256Hex(), maxBytes, false, headers, room),
                target.getParent());
        if (r instanceof FetchResult.Failed f) {
            return Optional.of(
                    switch (f.reason()) {
                        case NOT_FOUND ->
                            new Result.Failed(
                                    Reason.BlobNotFound,
                                    "the registry lacks " + what + " " + d.digest() + " of " + where
                                            + "; push the artifact again");
                        case SHA256_MISMATCH ->
                            new Result.Failed(
                                    Reason.OciDigestMismatch,
                                    "the registry sent " + what + " of " + where + " with other bytes than its digest "
                                            + d.digest() + ": its storage is corrupt or a proxy rewrote it");
                        default ->
                            new Result.Failed(
                                    f.reason().reason(), "cannot pull " + what + " of " + where + ": " + f.message());
                    });
        }
        try {
            Files.move(((FetchResult.Fetched) r).file(), target);
        } catch (IOException e) {
            return Optional.of(new Result.Failed(
                    FetchFailure.STAGING_FAILED.reason(),
                    "cannot move " + what + " into " + target + ": " + e.getMessage()));
        }
        return Optional.empty();
    }
}
