package io.confext.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator's configuration. The Helm chart sets these as environment variables
 * ({@code CONFEXT_OPERATOR_NAMESPACE}, {@code CONFEXT_AGENT_IMAGE}, ...).
 */
@ConfigMapping(prefix = "confext")
public interface ConfextConfig {
    OperatorConfig operator();

    AgentConfig agent();

    interface OperatorConfig {
        /** Where ControllerRevisions, the agent DaemonSet and the Lease live. */
        @WithDefault("confext-system")
        String namespace();

        /** How long a deleted bundle waits for agents to report removal before it is released anyway. */
        @WithDefault("PT5M")
        Duration deletionTimeout();

        /**
         * Where Events about the cluster-scoped bundles are recorded. The API server accepts a core/v1 Event about a
         * cluster-scoped object only in "default" (as the kubelet's Node events): another namespace loses every
         * Event (each refusal is logged), so leave the default unless the API server is known to accept it.
         */
        @WithDefault("default")
        String eventsNamespace();

        /**
         * Where the per-revision copies of Secret sources live ({@code CONFEXT_OPERATOR_SECRET_COPY_NAMESPACE}); the
         * agents may get Secrets there by name, so it must hold nothing else. Unset: the operator's namespace (runs
         * without the chart; docs/security.md says why the chart never does that).
         */
        Optional<String> secretCopyNamespace();

        LeaderElection leaderElection();

        /** This pod's name: the leader-election identity. */
        Optional<String> podName();

        /**
         * Patch bundle status and finalizers and write the agent DaemonSet with server-side apply
         * ({@code CONFEXT_OPERATOR_SERVER_SIDE_APPLY}). false: plain patches and updates, for API
         * servers without it (fabric8's mock server).
         */
        @WithDefault("true")
        boolean serverSideApply();

        /** The operator's own Deployment in {@link #namespace()}: the owner of the agent DaemonSet. */
        @WithDefault("confext-operator")
        String deploymentName();
    }

    interface LeaderElection {
        /** false: no Lease, this instance reconciles at once (run only one then). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("confext-operator-leader")
        String leaseName();
    }

    interface AgentConfig {
        /** true: the operator creates and keeps the agent DaemonSet; false: someone else (the chart) does. */
        @WithDefault("true")
        boolean managed();

        @WithName("daemonset-name")
        @WithDefault("confext-agent")
        String daemonSetName();

        @WithDefault("ghcr.io/confext/confext-node-agent:0.1.0")
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        @WithDefault("confext-agent")
        String serviceAccount();

        Optional<String> priorityClassName();

        /** JSON list of Tolerations; default: tolerate every taint. */
        @WithDefault("[{\"operator\":\"Exists\"}]")
        String tolerations();

        /** JSON object of node labels. */
        @WithDefault("{\"kubernetes.io/os\":\"linux\"}")
        String nodeSelector();

        /** JSON ResourceRequirements. */
        @WithDefault("{\"requests\":{\"cpu\":\"20m\",\"memory\":\"128Mi\"},\"limits\":{\"memory\":\"320Mi\"}}")
        String resources();

        /**
         * The cluster-wide signature requirement for image bundles (CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES,
         * chart value policy.requireSignedImages): set on every agent, which refuses unsigned images.
         */
        @WithDefault("false")
        boolean requireSignedImages();

        /**
         * The agents' free-space margin in bytes (CONFEXT_AGENT_DISK_MIN_FREE_BYTES, chart value
         * agent.disk.minFreeBytes): set on every agent the operator builds, whatever template it starts from.
         */
        @WithDefault("134217728")
        long diskMinFreeBytes();

        /**
         * The agents' cap in bytes on kept and quarantined versions (CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES, chart value
         * agent.disk.maxVersionsBytes; 0: no cap): set on every agent the operator builds.
         */
        @WithDefault("4294967296")
        long diskMaxVersionsBytes();

        /** JSON PodTemplateSpec to start from (the chart's, with its security settings); absent: a built-in one. */
        Optional<String> podTemplate();
    }
}
