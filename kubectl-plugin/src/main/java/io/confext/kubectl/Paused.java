package io.confext.kubectl;

import io.confext.api.v1alpha1.ConfextBundle;
import java.io.PrintWriter;

/** pause and resume: {@code spec.rollout.paused} by a merge patch, so the rest of spec.rollout stays as it is. */
final class Paused {
    private Paused() {}

    static int set(Cluster cluster, PrintWriter out, String name, boolean paused) {
        ConfextBundle bundle = cluster.bundle(name);
        boolean now = bundle.getSpec().getRollout() != null
                && Boolean.TRUE.equals(bundle.getSpec().getRollout().getPaused());
        String word = paused ? "paused" : "resumed";
        if (now == paused) {
            out.println("confextbundle " + name + " is already " + (paused ? "paused" : "not paused"));
        } else {
            cluster.mergePatch(name, "{\"spec\":{\"rollout\":{\"paused\":" + paused + "}}}");
            out.println("confextbundle " + name + " " + word);
        }
        out.flush();
        return 0;
    }
}
