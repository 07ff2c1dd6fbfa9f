package io.confext.kubectl.render;

import static io.confext.kubectl.render.Fixtures.file;
import static io.confext.kubectl.render.Fixtures.files;
import static io.confext.kubectl.render.Fixtures.image;
import static io.confext.kubectl.render.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.ReloadMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevisionDiffTest {

    @Test
    void aChangedFileIsAUnifiedDiffUnderEtcWithTheVersionsAsPrefixes() {
        StoredRevision a = stored(
                "chrony-aaaaaaaaaa", 1, files("1.0", file("chrony/chrony.conf", "pool a iburst\nmakestep 1 3\n")));
        StoredRevision b = stored(
                "chrony-bbbbbbbbbb", 2, files("2.0", file("chrony/chrony.conf", "pool b iburst\nmakestep 1 3\n")));

        assertThat(RevisionDiff.render("chrony", a, b))
                .containsExactly(
                        "# confextbundle chrony: 1.0 (revision 1, chrony-aaaaaaaaaa) -> 2.0 (revision 2, chrony-bbbbbbbbbb)",
                        "# version: 1.0 -> 2.0",
                        "--- 1.0/etc/chrony/chrony.conf",
                        "+++ 2.0/etc/chrony/chrony.conf",
                        "@@ -1,2 +1,2 @@",
                        "-pool a iburst",
                        "+pool b iburst",
                        " makestep 1 3");
    }

    @Test
    void anAddedAndARemovedFileAreDiffedAgainstDevNullAndAModeChangeIsNamed() {
        StoredRevision a =
                stored("b-1", 1, files("1", file("a.conf", "x\n"), new ResolvedFile("keep.conf", "k\n", "0644")));
        StoredRevision b =
                stored("b-2", 2, files("2", file("new.conf", "y\n"), new ResolvedFile("keep.conf", "k\n", "0600")));

        List<String> out = RevisionDiff.render("b", a, b);

        assertThat(out).containsSubsequence("--- 1/etc/a.conf", "+++ /dev/null", "@@ -1,1 +1,0 @@", "-x");
        assertThat(out).contains("# mode of /etc/keep.conf: 0644 -> 0600");
        assertThat(out).containsSubsequence("--- /dev/null", "+++ 2/etc/new.conf", "@@ -1,0 +1,1 @@", "+y");
        assertThat(out).noneMatch(l -> l.contains("keep.conf") && l.startsWith("---"));
    }

    @Test
    void otherFrozenFieldsThatDifferAreListedAndSameFilesAreSaid() {
        RevisionContent a = files("1.0", file("a.conf", "x\n"));
        RevisionContent b = new RevisionContent(
                "1.0", null, List.of("chronyd.service", "ntpd.service"), a.source(), null, ReloadMode.Restart, 10);

        assertThat(RevisionDiff.render("b", stored("b-1", 1, a), stored("b-2", 2, b)))
                .containsExactly(
                        "# confextbundle b: 1.0 (revision 1, b-1) -> 1.0 (revision 2, b-2)",
                        "# units: chronyd.service -> chronyd.service, ntpd.service",
                        "# reload: Reload -> Restart",
                        "# priority: 0 -> 10",
                        "# the files in /etc are the same");
    }

    @Test
    void imageSourcesSayWhichDigestChanged() {
        String one = "1".repeat(64);
        String two = "2".repeat(64);
        List<String> out = RevisionDiff.render(
                "img",
                stored("img-1", 1, image("1", "https://r/img_1.raw", one)),
                stored("img-2", 2, image("2", "https://r/img_2.raw", two)));

        assertThat(out)
                .contains(
                        "# image digest: sha256:" + one + " -> sha256:" + two
                                + " (the files inside the image are not in the revision; compare the images themselves)",
                        "# image url: https://r/img_1.raw -> https://r/img_2.raw");
    }

    @Test
    void secretFilesSayWhatChangedWithoutValues() {
        StoredRevision a = stored("s-1", 1, secret("1", "a".repeat(64), "0600"));
        StoredRevision b = stored("s-2", 2, secret("2", "b".repeat(64), "0640"));
        StoredRevision c = stored("s-3", 3, files("3", file("chrony/chrony.keys", "k\n")));

        assertThat(RevisionDiff.render("s", a, b))
                .contains(
                        "# /etc/chrony/chrony.keys (from a Secret): content changed (values are not shown)",
                        "# mode of /etc/chrony/chrony.keys: 0600 -> 0640")
                .noneMatch(l -> l.startsWith("---"));
        assertThat(RevisionDiff.render("s", a, c))
                .contains("# source: Secret -> files", "# /etc/chrony/chrony.keys (from a Secret): removed");
    }

    private static RevisionContent secret(String version, String sha256, String mode) {
        return new RevisionContent(
                version,
                null,
                List.of("chronyd.service"),
                io.confext.api.revision.ResolvedSource.ofSecret(new io.confext.api.revision.ResolvedSecret(
                        "s-secret-" + version,
                        "confext-secret-copies",
                        "platform",
                        "chrony-keys",
                        true,
                        List.of(new io.confext.api.revision.ResolvedSecretFile(
                                "keys", "chrony/chrony.keys", mode, sha256)))),
                null,
                ReloadMode.Reload,
                0);
    }

    @Test
    void fromFilesToAnImageShowsTheFilesGoingAndTheImageComing() {
        List<String> out = RevisionDiff.render(
                "m",
                stored("m-1", 1, files("1", file("a.conf", "x\n"))),
                stored("m-2", 2, image("2", "https://r/m.raw", "3".repeat(64))));

        assertThat(out).contains("# source: files -> image", "# image added: https://r/m.raw sha256:" + "3".repeat(64));
        assertThat(out).containsSubsequence("--- 1/etc/a.conf", "+++ /dev/null", "-x");
    }

    @Test
    void onlyAMissingFinalNewlineIsSaidNotShownAsAnEmptyDiff() {
        List<String> out = RevisionDiff.render(
                "n",
                stored("n-1", 1, files("1", file("a.conf", "x\n"))),
                stored("n-2", 2, files("2", file("a.conf", "x"))));

        assertThat(out).contains("# /etc/a.conf: only the newline at the end differs");
    }

    @Test
    void linesDropOnlyTheEmptyTailOfAFinalNewline() {
        assertThat(RevisionDiff.lines("a\nb\n")).containsExactly("a", "b");
        assertThat(RevisionDiff.lines("a\n\n")).containsExactly("a", "");
        assertThat(RevisionDiff.lines("")).isEmpty();
    }
}
