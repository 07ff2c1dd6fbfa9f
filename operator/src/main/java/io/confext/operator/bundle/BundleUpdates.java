package io.confext.operator.bundle;

import io.confext.api.v1alpha1.ConfextBundle;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a bundle start a reconcile: what JOSDK's generation-aware filter lets through (a
 * spec change, the deletion mark, a finalizer change), plus a change of the {@code confext.io/undo}
 * annotation, which changes no generation. Status writes (the operator's own) still start none.
 */
final class BundleUpdates {
    private BundleUpdates() {}

    static boolean relevant(ConfextBundle now, ConfextBundle before) {
        if (before == null || now.getMetadata() == null || before.getMetadata() == null) {
            return true;
        }
        var m = now.getMetadata();
        var o = before.getMetadata();
        return !Objects.equals(m.getGeneration(), o.getGeneration())
                || m.getDeletionTimestamp() != null
                || !Objects.equals(m.getFinalizers(), o.getFinalizers())
                || !Objects.equals(undo(m.getAnnotations()), undo(o.getAnnotations()));
    }

    private static String undo(Map<String, String> annotations) {
        return annotations == null ? null : annotations.get(BundleReconciler.UNDO_ANNOTATION);
    }
}
