package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline command, in-process and as a real process through the launcher script. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        TestImages.assumeTools("mkfs.erofs", "veritysetup", "openssl");
    }

    private record Run(int exit, String out, String err) {}

    private static Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = VerifyCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path trustDir(TestImages.Pki pki) throws Exception {
        Path d = Files.createDirectories(dir.resolve("verity.d-" + pki.cert().getFileName()));
        Files.copy(pki.cert(), d.resolve("signer.crt"));
        return d;
    }

    @Test
    void acceptedImagePrintsRootHashAndSignerAndExitsZero() throws Exception {
        TestImages.Pki pki = TestImages.Pki.create(dir, "ci");
        Path image = dir.resolve("chrony_1.raw");
        String root = TestImages.naked(
                TestImages.tree(dir, "chrony", "ID=debian\nVERSION_ID=13\n", "etc/chrony.conf", "pool a\n"),
                image,
                pki);
        Path os = Files.writeString(dir.resolve("os-release"), "ID=debian\nVERSION_ID=\"13\"\n");

        Run r = inProcess(
                image.toString(),
                "--trust",
                trustDir(pki).toString(),
                "--os-release",
                os.toString(),
                "--arch",
                "x86-64",
                "--sha256",
                ImageVerifierTest.sha256(image));

        assertThat(r.exit()).as(r.out()).isEqualTo(VerifyCommand.ACCEPTED);
        assertThat(r.out())
                .contains("verdict: ACCEPTED")
                .contains("root hash: " + root)
                .contains("signer sha256 fingerprint: " + pki.fingerprint())
                .doesNotContain("reason:");
    }

    @Test
    void refusedImagePrintsEveryReasonAndExitsOne() throws Exception {
        TestImages.Pki signer = TestImages.Pki.create(dir, "signer");
        TestImages.Pki other = TestImages.Pki.create(dir, "other");
        Path tree = TestImages.tree(dir, "app", "ID=fedora\nVERSION_ID=40\n", "etc/os-release", "ID=x\n");
        Path image = dir.resolve("app.raw");
        TestImages.naked(tree, image, signer);
        Path os = Files.writeString(dir.resolve("os-release"), "ID=debian\nVERSION_ID=13\n");

        Run r = inProcess(
                image.toString(),
                "--trust",
                trustDir(other).toString(),
                "--os-release",
                os.toString(),
                "--arch",
                "x86-64");

        assertThat(r.exit()).isEqualTo(VerifyCommand.REFUSED);
        assertThat(r.out())
                .contains("verdict: REFUSED")
                .contains("reason: SIGNATURE_UNTRUSTED")
                .contains("reason: CONTENT_OS_RELEASE")
                .contains("reason: EXTENSION_ID_MISMATCH: built for ID=fedora VERSION_ID=40, host is debian 13");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertThat(inProcess().exit()).isEqualTo(VerifyCommand.USAGE);
        Path f = Files.write(dir.resolve("x.raw"), new byte[1]);
        Run bad = inProcess(f.toString(), "--arch", "pdp11");
        assertThat(bad.exit()).isEqualTo(VerifyCommand.USAGE);
        assertThat(bad.err()).contains("unknown architecture 'pdp11'");
        assertThat(inProcess(f.toString(), "--sha256", "xyz").exit()).isEqualTo(VerifyCommand.USAGE);
        assertThat(inProcess(f.toString(), "--bogus").exit()).isEqualTo(VerifyCommand.USAGE);
        assertThat(inProcess(dir.resolve("missing.raw").toString()).exit()).isEqualTo(VerifyCommand.USAGE);
    }

    @Test
    void launcherScriptRunsTheCommandInItsOwnProcess() throws Exception {
        TestImages.Pki pki = TestImages.Pki.create(dir, "ci");
        Path image = dir.resolve("demo.raw");
        String root = TestImages.naked(TestImages.tree(dir, "demo", "ID=_any\n"), image, pki);
        Path script = Path.of("src/main/sh/confext-verify").toAbsolutePath();
        Path trust = trustDir(pki);

        Run ok = launch(script, image.toString(), "--trust", trust.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("root hash: " + root);

        TestImages.flipByte(image, 100);
        Run refused = launch(script, image.toString(), "--trust", trust.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).contains("reason: VERITY_ROOT_HASH_MISMATCH");

        assertThat(launch(script).exit()).isEqualTo(2);
    }

    private static Run launch(Path script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CONFEXT_AGENT_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }
}
