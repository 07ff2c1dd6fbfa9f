package io.confext.kubectl;

import java.util.Collection;
import java.util.Objects;

/**
 * The namespace holding a bundle's ControllerRevisions (the operator's release namespace). In this order: {@code -n}
 * as given; the namespace the operator wrote into the nodes' entries for the bundle; the kubeconfig context's
 * namespace when it names one other than {@code default}; else {@value #INSTALL_DEFAULT}, the namespace the install
 * guide uses (docs/helm.md). Pure.
 */
final class RevisionNamespace {
    static final String INSTALL_DEFAULT = "confext-system";

    private RevisionNamespace() {}

    static String choose(String explicit, Collection<String> fromEntries, String contextNamespace) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        var named = fromEntries.stream()
                .filter(Objects::nonNull)
                .filter(s -> !s.isBlank())
                .findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        if (contextNamespace != null && !contextNamespace.isBlank() && !contextNamespace.equals("default")) {
            return contextNamespace;
        }
        return INSTALL_DEFAULT;
    }
}
