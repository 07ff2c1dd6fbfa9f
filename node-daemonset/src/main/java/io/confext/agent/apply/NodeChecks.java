package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.trust.LoadedNodePolicy;
import io.confext.agent.trust.NodeGate;
import io.confext.agent.trust.NodePolicyFile;
import io.confext.agent.trust.NodeTrustSettings;
import io.confext.agent.trust.NodeVerdict;
import io.confext.agent.trust.SignatureRequirement;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.FileTree;
import io.confext.agent.verify.GptReader;
import io.confext.agent.verify.ImageFormatException;
import io.confext.agent.verify.ImageLayout;
import io.confext.agent.verify.ImageLocator;
import io.confext.agent.verify.ImageVerifier;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.Reason;
import io.confext.agent.verify.ReasonCode;
import io.confext.agent.verify.TreeEntry;
import io.confext.agent.verify.Verdict;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.v1alpha1.Scope;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The applier's side of node trust: gathers what the pure {@link NodeGate} and {@link SignatureRequirement} decide
 * on (the node policy file read through the host's root, the paths an image holds) and checks an image kept in a
 * {@code .v/} directory again before it is used again. Lives as long as the applier.
 */
final class NodeChecks {
    /** Reason of a kept image that no longer passes the checks of the current revision. */
    static final String STORED_IMAGE_REFUSED = io.confext.api.status.Reason.StoredImageRefused.name();

    private static final Set<ReasonCode> SIGNATURE_CODES =
            Set.of(ReasonCode.SIGNATURE_MISSING, ReasonCode.SIGNATURE_UNTRUSTED);
    /** The same codes as the stager's status reasons ({@link ImageStager#reasonOf}). */
    private static final Set<String> SIGNATURE_REASONS =
            SIGNATURE_CODES.stream().map(c -> ImageStager.camel(c.name())).collect(Collectors.toUnmodifiableSet());

    private static final int MAX_ENTRIES = 100_000;
    /** Kept images that passed, per file identity and policy: a resync does not hash every kept image again. */
    private static final int MAX_REMEMBERED = 64;

    private final HostFiles host;
    private final NodeTrustSettings settings;
    private final ImageVerifier verifier = new ImageVerifier();
    private final Map<StoredKey, Boolean> passed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StoredKey, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    NodeChecks(HostFiles host, NodeTrustSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    /** The node policy as it is now: read once per converge, so an edit of the file counts from the next pass. */
    LoadedNodePolicy load() {
        return NodePolicyFile.read(host.root(), settings.policyFile());
    }

    SignatureRequirement signature(ResolvedVerification v, LoadedNodePolicy policy) {
        boolean node =
                policy instanceof LoadedNodePolicy.Present p && p.policy().requireSignedImages();
        return new SignatureRequirement(
                v != null && v.requireSignature(), settings.requireSignedImages(), node, settings.policyFile());
    }

    static NodeVerdict gateFiles(LoadedNodePolicy policy, String bundle, Scope scope, DirectoryVersion version) {
        return NodeGate.check(
                policy,
                new NodeGate.Subject(
                        bundle, scope, new ArrayList<>(version.expectedFiles().keySet()), false));
    }

    /** The node gate over every entry under {@code etc/} of a verified image (directories and symlinks too). */
    static NodeVerdict gateImage(LoadedNodePolicy policy, String bundle, Scope scope, Path raw, Architecture arch) {
        List<String> paths = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
            ImageLayout layout = new ImageLocator().locate(raw, ch, arch);
            for (TreeEntry e : FileTree.open(ch, layout.dataOffset(), layout.dataAreaSize())
                    .walk(MAX_ENTRIES)) {
                if (e.path().startsWith("etc/")) {
                    paths.add(e.path().substring("etc/".length()));
                }
            }
        } catch (IOException | ImageFormatException e) {
            return new NodeVerdict.Refused(
                    NodeGate.DENIED,
                    "the files of image " + raw.getFileName()
                            + " cannot be listed for the node policy, so it is not used: " + e.getMessage());
        }
        return NodeGate.check(policy, new NodeGate.Subject(bundle, scope, paths, true));
    }

    /** A verifier refusal in the platform's or the node's words when it is their signature requirement that failed. */
    static ImageStager.Result.Refused imposed(ImageStager.Result.Refused r, SignatureRequirement s) {
        if (!SIGNATURE_REASONS.contains(r.reason())) {
            return r;
        }
        return s.refusal(r.message())
                .map(n -> new ImageStager.Result.Refused(n.reason(), n.message()))
                .orElse(r);
    }

    /**
     * Checks an image already in a {@code .v/} directory against the current revision before it is used again: its
     * sha256, the signature requirement and the trust, as on arrival ({@code policy} is the current revision's). A
     * naked image kept without its sidecars (hosts without kernel verity) is checked by its sha256, which pins every
     * byte systemd mounts; its signature was checked on arrival, and cannot be checked again without the sidecar.
     *
     * @return the refusal, empty when the image passes; reason {@code Drifted} when its bytes are no longer those the
     *     revision's sha256 pins (changed on the host)
     */
    Optional<ImageStager.Result.Refused> recheckStored(
            Path raw, String version, Policy policy, SignatureRequirement sig) {
        StoredKey key;
        try {
            key = new StoredKey(
                    raw.toString(),
                    Files.size(raw),
                    Files.getAttribute(raw, "unix:ctime").toString(),
                    (Long) Files.getAttribute(raw, "unix:ino"),
                    policy);
        } catch (IOException | RuntimeException e) {
            return Optional.of(new ImageStager.Result.Refused(
                    STORED_IMAGE_REFUSED, "kept version " + version + " cannot be checked again: " + e.getMessage()));
        }
        synchronized (passed) {
            if (passed.containsKey(key)) {
                return Optional.empty();
            }
        }
        Verdict v = verifier.verify(raw, withoutSidecars(raw) ? policy.withRequireSignature(false) : policy);
        List<Reason> reasons = v.reasons();
        if (withoutSidecars(raw)) {
            // the verity data stays in staging on such hosts: only the digest can be compared
            reasons = reasons.stream()
                    .filter(r -> r.code() == ReasonCode.SHA256_MISMATCH || r.code() == ReasonCode.IMAGE_UNREADABLE)
                    .toList();
        }
        if (reasons.isEmpty()) {
            synchronized (passed) {
                passed.put(key, Boolean.TRUE);
            }
            return Optional.empty();
        }
        String why = reasons.stream().map(Reason::message).collect(Collectors.joining("; "));
        if (reasons.stream().anyMatch(x -> x.code() == ReasonCode.SHA256_MISMATCH)) {
            // The bytes are not those verified on arrival, whose sha256 the revision still pins: the copy on the host
            // changed (drift), not the version. The caller repairs it from the source; the version stays good.
            return Optional.of(new ImageStager.Result.Refused(
                    io.confext.api.status.Reason.Drifted,
                    "kept version " + version + " (" + raw.getFileName() + ") changed on the host: " + why));
        }
        ImageStager.Result.Refused r = new ImageStager.Result.Refused(
                STORED_IMAGE_REFUSED,
                "kept version " + version + " ("
                        + raw.getFileName()
                        + ") no longer passes the checks of the current revision, so it is not used again"
                        + " and is quarantined; the next pass downloads it again: " + why);
        if (SIGNATURE_CODES.contains(reasons.get(0).code())) {
            return Optional.of(sig.refusal("kept version " + version + ": " + why)
                    .map(n -> new ImageStager.Result.Refused(n.reason(), n.message() + "; quarantined"))
                    .orElse(r));
        }
        return Optional.of(r);
    }

    private static boolean withoutSidecars(Path raw) {
        if (Files.exists(ImageVersion.sidecarsOf(raw).get(0))) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
            return new GptReader().read(ch).isEmpty();
        } catch (IOException | ImageFormatException e) {
            return false; // the verifier says what is wrong with it
        }
    }

    private record StoredKey(String path, long size, String ctime, long inode, Policy policy) {}
}
