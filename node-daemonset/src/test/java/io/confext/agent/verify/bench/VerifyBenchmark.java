package io.confext.agent.verify.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test: runs only with {@code -Dbench=true}. Builds a 256 MiB signed naked erofs
 * image, then times (page cache warm, median of 3) {@code veritysetup verify}, {@code sha256sum},
 * and the agent's verifier in a child JVM started like the {@code confext-verify} launcher (its heap, GC and JIT
 * directives) that reports its own peak RSS (VmHWM). The in-agent path (the agent's JVM flags): {@link AgentVerifyCpuMain}.
 * Results go to stdout and {@code target/bench-verify.md}.
 *
 * <pre>./mvnw -B -o -pl node-daemonset -am verify -Dbench=true -Dtest=VerifyBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class VerifyBenchmark {
    private static final int RUNS = 3;
    private static final Pattern CHILD = Pattern.compile("millis=(\\d+) hwmKiB=(\\d+) accepted=(\\w+)");

    @TempDir
    Path dir;

    @Test
    void verify256MiBImage() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("etc/extension-release.d"));
        Files.writeString(tree.resolve("etc/extension-release.d/extension-release.bench"), "ID=_any\n");
        byte[] buf = new byte[1 << 20];
        Random r = new Random(42);
        try (OutputStream out = Files.newOutputStream(tree.resolve("etc/blob.bin"))) {
            for (int i = 0; i < 255; i++) {
                r.nextBytes(buf);
                out.write(buf);
            }
        }
        Path image = dir.resolve("bench.raw");
        run("mkfs.erofs", "-T0", image.toString(), tree.toString());
        String root = match(
                run(
                        "veritysetup",
                        "format",
                        image.toString(),
                        dir.resolve("bench.verity").toString()),
                "Root hash:\\s+([0-9a-f]+)");
        Files.writeString(dir.resolve("bench.roothash"), root);
        run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                dir.resolve("k.pem").toString(),
                "-out",
                dir.resolve("trust/bench.crt").toString().replace("trust/", ""),
                "-days",
                "1",
                "-subj",
                "/CN=bench");
        Files.createDirectories(dir.resolve("trust"));
        Files.move(dir.resolve("bench.crt"), dir.resolve("trust/bench.crt"));
        Files.writeString(dir.resolve("rh.txt"), root);
        run(
                "openssl",
                "smime",
                "-sign",
                "-nocerts",
                "-noattr",
                "-binary",
                "-in",
                dir.resolve("rh.txt").toString(),
                "-inkey",
                dir.resolve("k.pem").toString(),
                "-signer",
                dir.resolve("trust/bench.crt").toString(),
                "-outform",
                "der",
                "-out",
                dir.resolve("bench.roothash.p7s").toString());
        String sha = run("sha256sum", image.toString()).split("\\s+")[0];
        long size = Files.size(image);

        String classPath = launcherClassPath();
        long[] verity = new long[RUNS];
        long[] sha256sum = new long[RUNS];
        long[] agentInner = new long[RUNS];
        long[] agentProcess = new long[RUNS];
        long hwm = 0;
        for (int i = 0; i < RUNS; i++) {
            verity[i] = timed(
                    "veritysetup",
                    "verify",
                    image.toString(),
                    dir.resolve("bench.verity").toString(),
                    root);
            sha256sum[i] = timed("sha256sum", image.toString());
            long t0 = System.nanoTime();
            // The launcher's flags, its JIT directives included (C2 for the hashing only).
            String out = run(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m",
                    "-XX:+UseSerialGC",
                    "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:-DisplayVMOutput",
                    "-XX:CompilerDirectivesFile="
                            + Path.of("src/main/sh/confext-verify-jit.json").toAbsolutePath(),
                    "-cp",
                    classPath,
                    VerifyBenchMain.class.getName(),
                    image.toString(),
                    sha,
                    dir.resolve("trust").toString());
            agentProcess[i] = (System.nanoTime() - t0) / 1_000_000;
            Matcher m = CHILD.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(m.group(3)).as(out).isEqualTo("true");
            agentInner[i] = Long.parseLong(m.group(1));
            hwm = Math.max(hwm, Long.parseLong(m.group(2)));
        }
        double mib = size / 1048576.0;
        String report = String.format(
                """
                image: %.1f MiB naked erofs + sidecar hash tree (3 levels), signed; page cache warm; median of %d runs
                | what | median ms | MiB/s |
                | --- | ---: | ---: |
                | veritysetup verify | %d | %.0f |
                | sha256sum | %d | %.0f |
                | veritysetup verify + sha256sum (two passes) | %d | %.0f |
                | agent verifier, in the child JVM (sha256 + verity in one pass + signature + content) | %d | %.0f |
                | agent verifier, whole child process incl. JVM start | %d | %.0f |
                agent peak RSS (VmHWM, -Xmx32m -XX:+UseSerialGC, the launcher's flags and jars): %.1f MiB (max over runs)
                """,
                mib,
                RUNS,
                median(verity),
                mib * 1000 / median(verity),
                median(sha256sum),
                mib * 1000 / median(sha256sum),
                median(verity) + median(sha256sum),
                mib * 1000 / (median(verity) + median(sha256sum)),
                median(agentInner),
                mib * 1000 / median(agentInner),
                median(agentProcess),
                mib * 1000 / median(agentProcess),
                hwm / 1024.0);
        System.out.println(report);
        Path target = Path.of("target/bench-verify.md");
        Files.writeString(target, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The jars the confext-verify launcher puts on its class path: the agent's classes, BouncyCastle, Jackson, the API module. */
    private String launcherClassPath() throws IOException {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (e.endsWith(".jar")
                    && !(e.contains("bouncycastle") || e.contains("jackson") || e.contains("confext-crds"))) {
                continue;
            }
            // Snapshot class directories and jars: other builds in the same checkout may rewrite target/ meanwhile.
            Path src = Path.of(e);
            Path copy = dir.resolve("cp-" + (i++) + (e.endsWith(".jar") ? ".jar" : ""));
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path p : walk.toList()) {
                        Path t = copy.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t);
                        }
                    }
                }
            } else if (Files.isRegularFile(src)) {
                Files.copy(src, copy);
            } else {
                continue;
            }
            out.add(copy.toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static long timed(String... argv) {
        long t0 = System.nanoTime();
        run(argv);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    private static String run(String... argv) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(argv)))
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", argv) + "\n" + out).isZero();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
