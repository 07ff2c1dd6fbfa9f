package io.confext.kubectl.render;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.VersionHistoryEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code kubectl confext history}: the completed rollouts ({@code status.history}, newest first, the versions an undo
 * can go to) and the stored revisions ({@code diff} takes their versions or names), marked current and target. Pure.
 */
public final class HistoryView {
    private HistoryView() {}

    public static List<String> render(ConfextBundle bundle, List<StoredRevision> revisions) {
        ConfextBundleStatus s = bundle.getStatus() == null ? new ConfextBundleStatus() : bundle.getStatus();
        String name = bundle.getMetadata().getName();
        List<String> out = new ArrayList<>();
        out.add("confextbundle " + name + ": rolled out (status.history, newest first; kubectl confext undo " + name
                + " --to-version V goes back to one):");
        if (s.getHistory() == null || s.getHistory().isEmpty()) {
            out.add("  (no version was fully rolled out yet)");
        } else {
            Table t = new Table("VERSION", "REVISION", "COMPLETED", "ROLLBACK");
            for (VersionHistoryEntry h : s.getHistory()) {
                t.row(
                        h.getVersion(),
                        h.getRevision(),
                        h.getCompletedAt(),
                        Boolean.TRUE.equals(h.getRollback()) ? "yes" : "no");
            }
            out.addAll(t.lines("  "));
        }
        out.add("");
        out.add("Stored revisions (kubectl confext diff " + name + " A B takes a version or a revision name):");
        if (revisions.isEmpty()) {
            out.add("  (none found)");
            return out;
        }
        Table t = new Table("NUMBER", "REVISION", "VERSION", "CREATED", "SOURCE", "ROLE");
        revisions.stream()
                .sorted(Comparator.comparingLong(StoredRevision::number).reversed())
                .forEach(r ->
                        t.row(Long.toString(r.number()), r.name(), r.version(), r.created(), source(r), role(r, s)));
        out.addAll(t.lines("  "));
        return out;
    }

    private static String source(StoredRevision r) {
        var files = r.content().source().files();
        var secret = r.content().source().secret();
        if (secret != null) { // only digests are in the revision: the files' count and the Secret they came from
            int n = secret.files().size();
            return n + (n == 1 ? " file" : " files") + " of Secret " + secret.namespace() + "/" + secret.name();
        }
        return files != null ? files.size() + (files.size() == 1 ? " file" : " files") : "image";
    }

    private static String role(StoredRevision r, ConfextBundleStatus s) {
        List<String> roles = new ArrayList<>();
        if (Objects.equals(r.name(), s.getCurrentRevision())) {
            roles.add("current");
        }
        if (Objects.equals(r.name(), s.getTargetRevision())) {
            roles.add("target");
        }
        return String.join(",", roles);
    }
}
