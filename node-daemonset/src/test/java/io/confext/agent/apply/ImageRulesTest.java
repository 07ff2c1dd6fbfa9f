package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.agent.fetch.FetchResult;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TrustedCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure rules around image bundles: drop-in lines, stacking, image policy, sidecars, reasons, .v/ listing. */
class ImageRulesTest {
    @TempDir
    Path tmp;

    @Test
    void theVerifierSkipsOnlyAShaThatTheDownloadAlreadyMatched() {
        String sha = "ab".repeat(32);
        Policy pinned = Policy.signedBy(TrustedCertificates.none()).withSha256(sha);
        FetchResult.Fetched matched = new FetchResult.Fetched(tmp.resolve("x.raw"), sha, 1, 1);
        FetchResult.Fetched other = new FetchResult.Fetched(tmp.resolve("x.raw"), "cd".repeat(32), 1, 1);
        assertThat(ImageStager.leftToVerify(pinned, matched).expectedSha256()).isEmpty();
        assertThat(ImageStager.leftToVerify(pinned.withSha256(sha.toUpperCase(java.util.Locale.ROOT)), matched)
                        .expectedSha256())
                .isEmpty();
        // a pin the download did not match (not possible through the fetcher, which refuses it) stays for the verifier
        // to refuse
        assertThat(ImageStager.leftToVerify(pinned, other).expectedSha256()).contains(sha);
        Policy unpinned = Policy.signedBy(TrustedCertificates.none());
        assertThat(ImageStager.leftToVerify(unpinned, matched)).isEqualTo(unpinned);
        // everything else of the policy is kept
        assertThat(ImageStager.leftToVerify(pinned, matched).withSha256(sha)).isEqualTo(pinned);
    }

    @Test
    void dropInListsImagesAndDirectoriesEachInPriorityOrderWithThePolicy() {
        String s = DropIn.render(
                List.of(
                        new DropIn.Attachment("dirhigh", 90, "/s/bundles/dirhigh.v/", false),
                        new DropIn.Attachment("imglow", 10, "/s/bundles/imglow.v/", true),
                        new DropIn.Attachment("imghigh", 50, "/s/bundles/imghigh.v/", true),
                        new DropIn.Attachment("dirlow", 5, "/s/bundles/dirlow.v/", false)),
                Optional.of("root=unprotected+absent:usr=absent"));
        assertThat(s)
                .isEqualTo("# Written by the confext-operator node agent; changes are overwritten.\n[Service]\n"
                        + "ExtensionImages=/s/bundles/imglow.v/ /s/bundles/imghigh.v/\n"
                        + "ExtensionImagePolicy=root=unprotected+absent:usr=absent\n"
                        + "ExtensionDirectories=/s/bundles/dirlow.v/ /s/bundles/dirhigh.v/\n");
        // no images: no policy line; no policy configured: none either
        assertThat(DropIn.render(List.of(new DropIn.Attachment("d", 1, "/d.v/")), Optional.of("root=verity")))
                .doesNotContain("ExtensionImage");
        assertThat(DropIn.render(List.of(new DropIn.Attachment("i", 1, "/i.v/", true)), Optional.empty()))
                .contains("ExtensionImages=/i.v/")
                .doesNotContain("ExtensionImagePolicy");
    }

    @Test
    void directoriesStackAboveImagesWhateverThePriority() {
        DropIn.Attachment img = new DropIn.Attachment("img", 1000, "", true);
        DropIn.Attachment dir = new DropIn.Attachment("dir", 0, "", false);
        assertThat(DropIn.above(dir, img)).isTrue();
        assertThat(DropIn.above(img, dir)).isFalse();
        assertThat(DropIn.above(new DropIn.Attachment("a", 5, "", true), new DropIn.Attachment("b", 4, "", true)))
                .isTrue();
        assertThat(DropIn.above(new DropIn.Attachment("a", 5, "", true), new DropIn.Attachment("b", 5, "", true)))
                .isFalse();
    }

    @Test
    void sidecarsAreInstalledOnlyWhereThePolicyLetsTheKernelUseVerity() {
        assertThat(ImageSettings.defaults().kernelVerity()).isTrue();
        assertThat(ImageSettings.defaults()
                        .withImagePolicy("root=unprotected+absent:usr=absent")
                        .kernelVerity())
                .isFalse();
        assertThat(ImageSettings.defaults()
                        .withImagePolicy("root=verity+signed:usr=absent")
                        .kernelVerity())
                .isTrue();
        assertThat(ImageSettings.defaults().withImagePolicy("usr=absent").kernelVerity())
                .isTrue();
        assertThat(ImageSettings.defaults().withImagePolicy("  ").imagePolicy()).isEmpty();
        assertThatThrownBy(() -> ImageSettings.defaults().withImagePolicy("root=verity\nExecStart=/bin/sh"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image policy");
        assertThat(ImageSettings.defaults().limitFor(10L)).isEqualTo(10);
        assertThat(ImageSettings.defaults().limitFor(1L << 40)).isEqualTo(ImageSettings.DEFAULT_MAX_IMAGE_BYTES);
    }

    @Test
    void sidecarUrlsSitNextToTheImageAndReasonsAreCamelCase() {
        assertThat(ImageStager.sidecarUrl(URI.create("https://h:8443/p/chrony_2.raw?sig=x"), ".roothash.p7s"))
                .isEqualTo(URI.create("https://h:8443/p/chrony_2.roothash.p7s?sig=x"));
        assertThat(ImageStager.sidecarUrl(URI.create("https://h/p/chrony-2.img"), ".verity"))
                .isEqualTo(URI.create("https://h/p/chrony-2.img.verity"));
        assertThat(ImageStager.camel("VERITY_ROOT_HASH_MISMATCH")).isEqualTo("VerityRootHashMismatch");
        assertThat(ImageStager.camel("SHA256_MISMATCH")).isEqualTo("Sha256Mismatch");
    }

    @Test
    void versionsDirectoryListsImagesAndDirectoriesButNotSidecars() throws Exception {
        Path v = Files.createDirectories(tmp.resolve("demo.v"));
        Files.createDirectories(v.resolve("demo_1"));
        Files.writeString(v.resolve("demo_2.raw"), "");
        Files.writeString(v.resolve("demo_3.raw"), "");
        for (String s : ImageVersion.SIDECARS) {
            Files.writeString(v.resolve("demo_3" + s), "");
        }
        Files.writeString(v.resolve("demo_4.verity"), ""); // an orphaned sidecar is no version
        VersionsDirectory dir = new VersionsDirectory(v, "demo");
        assertThat(dir.versions()).containsExactly("3", "2", "1");
        assertThat(dir.isImage("3")).isTrue();
        assertThat(dir.isImage("1")).isFalse();
        assertThat(dir.entryFiles("3"))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("demo_3.raw", "demo_3.verity", "demo_3.roothash", "demo_3.roothash.p7s");
        assertThat(dir.entryFiles("2"))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("demo_2.raw");
        assertThat(dir.entryFiles("1"))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("demo_1");
    }
}
