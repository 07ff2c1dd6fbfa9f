package io.confext.agent.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether an image must be signed here, and who says so: the bundle itself ({@code spec.verification.requireSignature}),
 * the platform (the agent setting {@code confext.agent.require-signed-images}, chart value
 * {@code policy.requireSignedImages}), or the node policy file. The bundle cannot lower what the platform or the
 * node require. When they require what the bundle does not, a missing signature is refused as {@link #REQUIRED}
 * and the message names the rule, so the bundle author knows it is not their bundle's own setting.
 *
 * @param bundleRequires   the revision's own requirement
 * @param platformRequires the agent setting
 * @param nodeRequires     the node policy's {@code requireSignedImages}
 * @param nodePolicyFile   the node policy's host path, for the message
 */
public record SignatureRequirement(
        boolean bundleRequires, boolean platformRequires, boolean nodeRequires, String nodePolicyFile) {
    /** The reason of an unsigned (or not trusted-signed) image refused by the platform or node requirement. */
    public static final String REQUIRED = io.confext.api.status.Reason.SignatureRequired.name();

    public boolean required() {
        return bundleRequires || platformRequires || nodeRequires;
    }

    /** Who requires a signature the bundle does not ask for; empty when the bundle asks itself or nobody does. */
    public Optional<String> imposedBy() {
        if (bundleRequires || !required()) {
            return Optional.empty();
        }
        List<String> who = new ArrayList<>();
        if (platformRequires) {
            who.add(
                    "the cluster (agent setting confext.agent.require-signed-images, chart value policy.requireSignedImages)");
        }
        if (nodeRequires) {
            who.add("this node (requireSignedImages in " + nodePolicyFile + ")");
        }
        return Optional.of(String.join(" and ", who));
    }

    /**
     * The refusal when a required signature is missing or untrusted and the bundle did not ask for one itself
     * ({@code verifierMessage} says what the image lacks); empty when the bundle's own reason stands.
     */
    public Optional<NodeVerdict.Refused> refusal(String verifierMessage) {
        return imposedBy()
                .map(who -> new NodeVerdict.Refused(
                        REQUIRED,
                        "image bundles must be signed by a trusted"
                                + " certificate, as required by " + who
                                + "; set spec.verification.requireSignature: true and publish a"
                                + " signed image: " + verifierMessage));
    }
}
