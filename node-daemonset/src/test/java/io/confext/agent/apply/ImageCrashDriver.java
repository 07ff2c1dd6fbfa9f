package io.confext.agent.apply;

import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.TrustSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's host side in a process of its own, for the image crash test:
 * {@code ImageCrashDriver HOSTPID STATEDIR UNIT VERSION STEP URL SHA256 CERT_PEM_FILE IMAGE_POLICY} converges to the
 * image bundle {@code crashimg} at VERSION (a signed DDI at URL, trusted through the certificate, as a bundle's trust
 * Secret would give it); when STEP is reached it prints "AT STEP" and waits to be SIGKILLed ("-" = never stop).
 * Prints "DONE <phase> <activeVersion> <message>" when it finishes.
 */
public final class ImageCrashDriver {
    static final String BUNDLE = "crashimg";

    private ImageCrashDriver() {}

    public static void main(String[] args) throws Exception {
        long hostPid = Long.parseLong(args[0]);
        String stateDir = args[1];
        String unit = args[2];
        String version = args[3];
        String stopAt = args[4];
        String url = args[5];
        String sha256 = args[6];
        String pem = Files.readString(Path.of(args[7]));
        String policy = args[8];
        StepObserver observer = CrashRuns.pauseAt(stopAt);
        SystemdHostApplier applier = new SystemdHostApplier(
                hostPid,
                ApplierSettings.defaults()
                        .withStateHostDir(stateDir)
                        .withAgentVersion("test")
                        .withJobTimeout(Duration.ofSeconds(60))
                        .withImages(ImageSettings.defaults().withImagePolicy(policy)),
                observer);
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofImage(new ResolvedImage(url, sha256, true, null)),
                new ResolvedVerification(true, TrustSource.Secret, List.of(pem)),
                ReloadMode.Reload,
                0);
        CrashRuns.converge(
                applier,
                () -> applier.converge(List.of(
                        new DesiredBundleContent(BUNDLE, BUNDLE + "-" + version, "sha256:" + sha256, false, c))));
    }
}
