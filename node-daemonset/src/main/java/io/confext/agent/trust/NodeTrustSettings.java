package io.confext.agent.trust;

/**
 * The node-trust settings of the agent.
 *
 * @param requireSignedImages the platform's requirement ({@code confext.agent.require-signed-images}, env
 *                            {@code CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES}, set from the chart value
 *                            {@code policy.requireSignedImages})
 * @param policyFile          host path of the node policy ({@code confext.agent.node-policy-file})
 */
public record NodeTrustSettings(boolean requireSignedImages, String policyFile) {
    public NodeTrustSettings {
        if (policyFile == null || !policyFile.startsWith("/")) {
            throw new IllegalArgumentException(
                    "the node policy file must be an absolute host path, got '" + policyFile + "'");
        }
    }

    public static NodeTrustSettings defaults() {
        return new NodeTrustSettings(false, NodePolicyFile.DEFAULT_HOST_PATH);
    }

    public NodeTrustSettings withRequireSignedImages(boolean required) {
        return new NodeTrustSettings(required, policyFile);
    }

    public NodeTrustSettings withPolicyFile(String file) {
        return new NodeTrustSettings(requireSignedImages, file);
    }
}
