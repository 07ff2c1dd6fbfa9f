package io.confext.kubectl.render;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.RevisionContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changes in /etc between two revisions of a bundle, as a unified diff of the files each revision puts there
 * (inline files and ConfigMap items, as frozen), preceded by the other frozen fields that differ (units, scope,
 * reload, priority, health checks). An image source has no file list in the revision: its URL and digest are
 * compared instead. Pure.
 */
public final class RevisionDiff {
    private static final int CONTEXT_LINES = 3;

    private RevisionDiff() {}

    public static List<String> render(String bundle, StoredRevision from, StoredRevision to) {
        List<String> out = new ArrayList<>();
        out.add("# confextbundle " + bundle + ": " + label(from) + " -> " + label(to));
        RevisionContent a = from.content();
        RevisionContent b = to.content();
        field(out, "version", a.version(), b.version());
        field(out, "scope", a.scope(), b.scope());
        field(out, "units", String.join(", ", a.units()), String.join(", ", b.units()));
        field(out, "reload", a.reload(), b.reload());
        field(out, "priority", a.priority(), b.priority());
        field(out, "health checks", checks(a), checks(b));
        int before = out.size();
        files(out, a, b, from.version(), to.version());
        image(out, a.source().image(), b.source().image());
        if (out.size() == before) {
            out.add("# the files in /etc are the same");
        }
        return out;
    }

    private static String label(StoredRevision r) {
        return r.version() + " (revision " + r.number() + ", " + r.name() + ")";
    }

    private static void field(List<String> out, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add("# " + name + ": " + show(a) + " -> " + show(b));
        }
    }

    private static String show(Object o) {
        return o == null || o.toString().isEmpty() ? "(none)" : o.toString();
    }

    private static String checks(RevisionContent c) {
        return c.checks().stream().map(h -> h.name()).collect(Collectors.joining(", "));
    }

    private static void files(List<String> out, RevisionContent a, RevisionContent b, String va, String vb) {
        Map<String, ResolvedFile> fa = byPath(a);
        Map<String, ResolvedFile> fb = byPath(b);
        if (!kind(a).equals(kind(b))) {
            out.add("# source: " + kind(a) + " -> " + kind(b));
        }
        secretFiles(out, a, b);
        TreeSet<String> paths = new TreeSet<>(fa.keySet());
        paths.addAll(fb.keySet());
        for (String path : paths) {
            ResolvedFile x = fa.get(path);
            ResolvedFile y = fb.get(path);
            String etc = "etc/" + path;
            if (x != null && y != null && !x.mode().equals(y.mode())) {
                out.add("# mode of /" + etc + ": " + x.mode() + " -> " + y.mode());
            }
            if (x != null && y != null && x.content().equals(y.content())) {
                continue;
            }
            List<String> la = x == null ? List.of() : lines(x.content());
            List<String> lb = y == null ? List.of() : lines(y.content());
            if (la.equals(lb)) {
                out.add("# /" + etc + ": only the newline at the end differs");
                continue;
            }
            Patch<String> patch = DiffUtils.diff(la, lb);
            String nameA = x == null ? "/dev/null" : va + "/" + etc;
            String nameB = y == null ? "/dev/null" : vb + "/" + etc;
            out.addAll(UnifiedDiffUtils.generateUnifiedDiff(nameA, nameB, la, patch, CONTEXT_LINES));
        }
    }

    private static String kind(RevisionContent c) {
        return c.source().files() != null ? "files" : c.source().secret() != null ? "Secret" : "image";
    }

    /** A Secret source's values are not in the revision: which files changed is told by their digests only. */
    private static void secretFiles(List<String> out, RevisionContent a, RevisionContent b) {
        Map<String, io.confext.api.revision.ResolvedSecretFile> fa = secretByPath(a);
        Map<String, io.confext.api.revision.ResolvedSecretFile> fb = secretByPath(b);
        TreeSet<String> paths = new TreeSet<>(fa.keySet());
        paths.addAll(fb.keySet());
        for (String path : paths) {
            var x = fa.get(path);
            var y = fb.get(path);
            String etc = "/etc/" + path;
            if (x == null || y == null) {
                out.add("# " + etc + " (from a Secret): " + (x == null ? "added" : "removed"));
            } else if (!x.sha256().equals(y.sha256())) {
                out.add("# " + etc + " (from a Secret): content changed (values are not shown)");
            }
            if (x != null && y != null && !x.mode().equals(y.mode())) {
                out.add("# mode of " + etc + ": " + x.mode() + " -> " + y.mode());
            }
        }
    }

    private static Map<String, io.confext.api.revision.ResolvedSecretFile> secretByPath(RevisionContent c) {
        var secret = c.source().secret();
        return secret == null
                ? Map.of()
                : secret.files().stream()
                        .collect(Collectors.toMap(f -> f.path(), Function.identity(), (p, q) -> q, TreeMap::new));
    }

    private static Map<String, ResolvedFile> byPath(RevisionContent c) {
        List<ResolvedFile> files = c.source().files();
        return files == null
                ? Map.of()
                : files.stream()
                        .collect(Collectors.toMap(ResolvedFile::path, Function.identity(), (p, q) -> q, TreeMap::new));
    }

    /** The lines of a text, without the empty string after a final newline. */
    static List<String> lines(String text) {
        List<String> l = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    private static void image(List<String> out, ResolvedImage a, ResolvedImage b) {
        if (a == null || b == null) {
            if (a != null) {
                out.add("# image removed: " + a.url() + " sha256:" + a.sha256());
            } else if (b != null) {
                out.add("# image added: " + b.url() + " sha256:" + b.sha256());
            }
            return;
        }
        if (!a.sha256().equals(b.sha256())) {
            out.add("# image digest: sha256:" + a.sha256() + " -> sha256:" + b.sha256()
                    + " (the files inside the image are not in the revision; compare the images themselves)");
        }
        if (!a.url().equals(b.url())) {
            out.add("# image url: " + a.url() + " -> " + b.url());
        }
    }
}
