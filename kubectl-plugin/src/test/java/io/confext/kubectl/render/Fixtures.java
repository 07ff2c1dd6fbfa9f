package io.confext.kubectl.render;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.RevisionRef;
import io.confext.api.v1alpha1.UnitState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** The API objects the renderer tests start from, as the operator and agents write them. */
final class Fixtures {
    private Fixtures() {}

    static ConfextBundle bundle(String name, String version, long generation, ConfextBundleStatus status) {
        ConfextBundle b = new ConfextBundle();
        b.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withGeneration(generation)
                .build());
        ConfextBundleSpec spec = new ConfextBundleSpec();
        spec.setVersion(version);
        b.setSpec(spec);
        b.setStatus(status);
        return b;
    }

    static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .build();
    }

    static RevisionContent files(String version, ResolvedFile... files) {
        return new RevisionContent(
                version, null, List.of("chronyd.service"), ResolvedSource.ofFiles(List.of(files)), null, null, 0);
    }

    static RevisionContent image(String version, String url, String sha) {
        return new RevisionContent(
                version,
                null,
                List.of("chronyd.service"),
                ResolvedSource.ofImage(new ResolvedImage(url, sha, false, null)),
                null,
                null,
                0);
    }

    static ResolvedFile file(String path, String content) {
        return new ResolvedFile(path, content, null);
    }

    static StoredRevision stored(String name, long number, RevisionContent content) {
        return new StoredRevision(name, number, content.version(), "2026-12-03T10:00:0" + number + "Z", content);
    }

    /** A node whose entry asks for {@code wants} at {@code revision} and whose agent reports {@code phase} for it. */
    static ConfextNode node(
            String name, String bundle, String wants, String revision, BundlePhase phase, String reason) {
        ConfextNode n = new ConfextNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).build());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        DesiredBundle d = new DesiredBundle();
        d.setName(bundle);
        d.setVersion(wants);
        RevisionRef ref = new RevisionRef();
        ref.setName(revision);
        ref.setNamespace("confext-system");
        ref.setDigest("sha256:" + "0".repeat(64));
        d.setRevision(ref);
        spec.setBundles(new ArrayList<>(List.of(d)));
        n.setSpec(spec);
        ConfextNodeStatus status = new ConfextNodeStatus();
        HostFacts host = new HostFacts();
        host.setSystemdVersion(262);
        status.setHost(host);
        status.setConditions(List.of(condition("Ready", "True", "AgentReady", "converging")));
        if (phase != null) {
            BundleState s = new BundleState();
            s.setName(bundle);
            s.setRevision(revision);
            s.setDesiredVersion(wants);
            s.setPhase(phase);
            s.setReason(reason);
            s.setActiveVersion(phase == BundlePhase.Active ? wants : null);
            UnitState u = new UnitState();
            u.setUnit("chronyd.service");
            u.setSeesVersion(phase == BundlePhase.Active ? wants : null);
            s.setUnits(List.of(u));
            status.setBundles(new ArrayList<>(List.of(s)));
        }
        n.setStatus(status);
        return n;
    }
}
