package io.confext.apiserver;

import io.confext.api.v1alpha1.ConfextBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.UnaryOperator;

/**
 * A user's edit of a bundle, as {@code kubectl edit} does it: read, change, write with the read resourceVersion, and
 * on a conflict read again and redo the change. The operator writes the bundle's status (and finalizer) while a test
 * edits its spec; a status write between the read and the write is a 409, not a failure of the product.
 */
final class BundleEdits {
    private static final int ATTEMPTS = 10;

    private BundleEdits() {}

    static ConfextBundle edit(KubernetesClient client, String name, UnaryOperator<ConfextBundle> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(ConfextBundle.class).withName(name).edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
