package io.confext.agent.apply;

import io.confext.agent.fetch.FetchFailure;
import io.confext.agent.fetch.FetchRequest;
import io.confext.agent.fetch.FetchResult;
import io.confext.agent.fetch.ImageFetcher;
import io.confext.agent.fetch.RoomCheck;
import io.confext.agent.host.HostFiles;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.oci.OciPuller;
import io.confext.agent.verify.GptReader;
import io.confext.agent.verify.ImageFormatException;
import io.confext.agent.verify.ImageVerifier;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.Reason;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.agent.verify.Verdict;
import io.confext.api.revision.ResolvedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Download and verification of one image version under staging/: fetch (sha256-pinned), the sidecars of a naked
 * image, then every check of {@link ImageVerifier}. Only an accepted image leaves this class, still in staging; a
 * refused one is deleted with everything fetched for it.
 */
final class ImageStager {
    /** The root hash and signature sidecars are small; anything bigger is not what systemd writes. */
    private static final long MAX_SMALL_SIDECAR = 64 * 1024;

    private final ImageSettings settings;
    private final ImageFetcher fetcher;
    private final ImageVerifier verifier = new ImageVerifier();
    private final AgentMetrics metrics;

    ImageStager(ImageSettings settings) {
        this(settings, AgentMetrics.none());
    }

    ImageStager(ImageSettings settings, AgentMetrics metrics) {
        this.settings = settings;
        this.fetcher = new ImageFetcher(settings.fetch());
        this.metrics = metrics;
    }

    sealed interface Result {
        /**
         * @param dir   the staging directory holding the image (and its sidecars); the caller deletes it when done
         * @param drift what changed on the host in the kept copy this one replaces (null: nothing)
         */
        record Staged(ImageVersion version, Path dir, Verdict verdict, String drift) implements Result {
            Staged(ImageVersion version, Path dir, Verdict verdict) {
                this(version, dir, verdict, null);
            }

            Staged repairing(String change) {
                return new Staged(version, dir, verdict, change);
            }
        }

        record Refused(String reason, String message) implements Result {
            public Refused {
                io.confext.api.status.Reason.require(reason);
            }

            public Refused(io.confext.api.status.Reason reason, String message) {
                this(reason.name(), message);
            }
        }
    }

    /** @param room asked before each download writes: is there room on the node's disk (see {@code disk.DiskGuard})? */
    Result stage(
            String bundle,
            String version,
            ResolvedImage image,
            Policy policy,
            TrustedCertificates trusted,
            Path stagingRoot,
            RoomCheck room) {
        if (image.oci() != null) {
            return stageOci(bundle, version, image, policy, trusted, stagingRoot, room);
        }
        URI url;
        try {
            url = new URI(image.url());
        } catch (URISyntaxException e) {
            return new Result.Refused(
                    FetchFailure.BAD_URL.reason(),
                    "source.image.url '" + image.url() + "' is not a URL: " + e.getMessage());
        }
        Path dir = stagingRoot.resolve(bundle + "_" + version + ".image-" + UUID.randomUUID());
        boolean keep = false;
        try {
            Files.createDirectories(dir);
            Path raw = dir.resolve(ImageVersion.entryName(bundle, version));
            long limit = settings.limitFor(image.sizeLimitBytes());
            FetchResult main =
                    fetcher.fetch(new FetchRequest(url, image.sha256(), limit, image.allowInsecureHttp(), room), dir);
            if (main instanceof FetchResult.Failed f) {
                return downloadFailed(f, "the image");
            }
            FetchResult.Fetched fetched = (FetchResult.Fetched) main;
            Files.move(fetched.file(), raw);
            if (!isDdi(raw)) {
                for (Path sidecar : ImageVersion.sidecarsOf(raw)) {
                    String suffix = sidecar.getFileName()
                            .toString()
                            .substring(raw.getFileName().toString().length() - 4);
                    long max = suffix.equals(".verity") ? limit : MAX_SMALL_SIDECAR;
                    FetchResult r = fetcher.fetch(
                            FetchRequest.unpinned(sidecarUrl(url, suffix), max, image.allowInsecureHttp())
                                    .withRoom(room),
                            dir);
                    if (r instanceof FetchResult.Fetched got) {
                        Files.move(got.file(), sidecar);
                    } else if (r instanceof FetchResult.Failed f && f.reason() != FetchFailure.NOT_FOUND) {
                        return downloadFailed(f, "the " + suffix + " sidecar of a naked image");
                    }
                }
            }
            Result verified = verified(bundle, version, image, leftToVerify(policy, fetched), trusted, dir, raw);
            keep = verified instanceof Result.Staged;
            return verified;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot stage the image of " + bundle + " " + version + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!keep) {
                HostFiles.deleteTree(dir);
            }
        }
    }

    /**
     * An image pulled from a registry by its pinned manifest: every layer's digest checked while it streams, then the
     * same checks as an HTTPS image. A refusal deletes everything pulled for it.
     */
    private Result stageOci(
            String bundle,
            String version,
            ResolvedImage image,
            Policy policy,
            TrustedCertificates trusted,
            Path stagingRoot,
            RoomCheck room) {
        Path dir = stagingRoot.resolve(bundle + "_" + version + ".image-" + UUID.randomUUID());
        boolean keep = false;
        try {
            Files.createDirectories(dir);
            Path raw = dir.resolve(ImageVersion.entryName(bundle, version));
            OciPuller.Result pulled = new OciPuller(settings.fetch(), settings.pullSecrets())
                    .pull(image, settings.limitFor(image.sizeLimitBytes()), raw, room);
            if (pulled instanceof OciPuller.Result.Failed f) {
                return new Result.Refused(
                        f.reason(), "cannot pull " + image.oci().reference() + ": " + f.message());
            }
            Result verified = verified(bundle, version, image, policy, trusted, dir, raw);
            keep = verified instanceof Result.Staged;
            return verified;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot stage the image of " + bundle + " " + version + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!keep) {
                HostFiles.deleteTree(dir);
            }
        }
    }

    /** Every check of {@link ImageVerifier} on the fetched image (and the sidecars next to it). */
    private Result verified(
            String bundle,
            String version,
            ResolvedImage image,
            Policy policy,
            TrustedCertificates trusted,
            Path dir,
            Path raw)
            throws IOException {
        long verifying = System.nanoTime();
        Verdict verdict = verifier.verify(raw, policy);
        metrics.verified(
                bundle, verdict.accepted(), java.time.Duration.ofNanos(System.nanoTime() - verifying), Files.size(raw));
        if (!verdict.accepted()) {
            return new Result.Refused(
                    reasonOf(verdict),
                    "image " + image.url() + " refused: "
                            + verdict.reasons().stream().map(Reason::message).collect(Collectors.joining("; ")));
        }
        ImageVersion read = ImageVersion.read(raw, bundle, version, policy.architecture(), trusted, raw);
        ImageVersion v = new ImageVersion(
                bundle,
                version,
                read.extensionRelease(),
                read.expectedFiles(),
                verdict.rootHash(),
                verdict.signerFingerprint(),
                raw);
        return new Result.Staged(v, dir, verdict);
    }

    /**
     * The policy the verifier still has to check once the download is on disk. The download's sha256 was computed
     * while the bytes arrived, over exactly the bytes written; when it already matched the bundle's pin, hashing the
     * whole file a second time would only add a third pass to staging (sha256, the verity tree, sha256 again), about
     * a third of its CPU (issue #18, BENCHMARKS.md). A pin the download did not match stays in the policy, so the
     * verifier reports it as before.
     */
    static Policy leftToVerify(Policy policy, FetchResult.Fetched fetched) {
        boolean proven = policy.expectedSha256()
                .map(String::strip)
                .filter(pin -> pin.equalsIgnoreCase(fetched.sha256()))
                .isPresent();
        return proven ? policy.withSha256(null) : policy;
    }

    /** The bundle reason of a refusal: the catalogue reason of the first check that failed. */
    static String reasonOf(Verdict v) {
        return v.reasons().get(0).code().reason().name();
    }

    private static Result.Refused downloadFailed(FetchResult.Failed f, String what) {
        return new Result.Refused(f.reason().reason(), "cannot download " + what + ": " + f.message());
    }

    /**
     * The naming rule of the catalogue reasons of image and download refusals ({@code VERITY_ROOT_HASH_MISMATCH} ->
     * VerityRootHashMismatch; a download failure adds "Download"): the reasons these codes reported before the
     * catalogue, which the tests hold the catalogue to.
     */
    static String camel(String upperSnake) {
        StringBuilder sb = new StringBuilder();
        for (String part : upperSnake.toLowerCase(Locale.ROOT).split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }

    /** {@code https://h/p/demo_3.raw?x} -> {@code https://h/p/demo_3.verity?x}: the sidecars sit next to the image. */
    static URI sidecarUrl(URI image, String suffix) {
        String path = image.getPath() == null ? "" : image.getPath();
        String base = path.endsWith(".raw") ? path.substring(0, path.length() - 4) : path;
        try {
            return new URI(
                    image.getScheme(),
                    image.getUserInfo(),
                    image.getHost(),
                    image.getPort(),
                    base + suffix,
                    image.getQuery(),
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A GPT (even a damaged one: the verifier reports it) means a DDI, which carries its verity data inside. */
    private static boolean isDdi(Path raw) throws IOException {
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
            return new GptReader().read(ch).isPresent();
        } catch (ImageFormatException e) {
            return true;
        }
    }
}
