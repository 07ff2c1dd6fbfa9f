package io.confext.agent.apply;

import io.confext.testbed.SystemdHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Confext images made by third-party producers inside a booted systemd 262 test host: {@code systemd-repart
 * --make-ddi=confext} (signed DDIs, optionally for a foreign architecture) and {@code mkfs.erofs} plus
 * {@code veritysetup format} and {@code openssl smime} (naked images with sidecars). The agent under test wrote none
 * of their bytes. Unlike the test bed's ConfextImages, the whole extension-release is given, so incompatible ones
 * can be made too.
 */
final class HostBuiltImages {
    private HostBuiltImages() {}

    /** A signing key and self-signed certificate (PEM) in the host. */
    record Signer(String key, String cert) {
        static Signer create(SystemdHost host, String name) {
            Signer s = new Signer("/root/" + name + ".key", "/root/" + name + ".crt");
            host.execOk(
                    "openssl",
                    "req",
                    "-new",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=" + name,
                    "-keyout",
                    s.key,
                    "-out",
                    s.cert);
            return s;
        }

        String pem(SystemdHost host) {
            return host.readFile(cert);
        }
    }

    private static String tree(SystemdHost host, String name, String release, Map<String, String> etcFiles) {
        String src = "/var/tmp/img-src-" + UUID.randomUUID();
        host.writeFile(src + "/etc/extension-release.d/extension-release." + name, release, "0644");
        etcFiles.forEach((p, c) -> host.writeFile(src + "/etc/" + p, c, "0644"));
        return src;
    }

    /** A signed confext DDI written by the host's systemd-repart; {@code arch} null for the host's own. */
    static Path ddi(
            SystemdHost host,
            String out,
            String name,
            String release,
            Map<String, String> etcFiles,
            Signer signer,
            String arch) {
        String src = tree(host, name, release, etcFiles);
        List<String> argv = new java.util.ArrayList<>(List.of(
                "systemd-repart",
                "--make-ddi=confext",
                "--copy-source=" + src,
                "--private-key=" + signer.key(),
                "--certificate=" + signer.cert(),
                "--offline=yes",
                "--no-pager"));
        if (arch != null) {
            argv.add("--architecture=" + arch);
        }
        host.execOk("mkdir", "-p", Path.of(out).getParent().toString());
        host.execOk("rm", "-f", out);
        argv.add(out);
        host.execOk(Duration.ofMinutes(2), argv.toArray(String[]::new));
        host.execOk("rm", "-rf", src);
        return host.hostPath(out);
    }

    /**
     * A naked erofs image {@code out} (ending in .raw) with {@code .verity} and {@code .roothash} sidecars, and a
     * {@code .roothash.p7s} when a signer is given. Returns the root hash.
     */
    static String naked(
            SystemdHost host, String out, String name, String release, Map<String, String> etcFiles, Signer signer) {
        String src = tree(host, name, release, etcFiles);
        String base = out.substring(0, out.length() - ".raw".length());
        host.execOk("mkdir", "-p", Path.of(out).getParent().toString());
        host.execOk("rm", "-f", out, base + ".verity", base + ".roothash", base + ".roothash.p7s");
        host.execOk("mkfs.erofs", "-T0", "--all-root", out, src);
        host.execOk("rm", "-rf", src);
        // veritysetup is not in the host image; the outer machine's works on the same file without device-mapper
        String report = run(
                "veritysetup",
                "format",
                host.hostPath(out).toString(),
                host.hostPath(base + ".verity").toString());
        String rootHash = report.lines()
                .filter(l -> l.startsWith("Root hash:"))
                .map(l -> l.substring(10).trim())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("veritysetup printed no root hash:\n" + report));
        host.writeFile(base + ".roothash", rootHash + "\n", "0644");
        if (signer != null) {
            host.writeFile(base + ".roothash.txt", rootHash, "0644");
            host.execOk(
                    "openssl",
                    "smime",
                    "-sign",
                    "-nocerts",
                    "-noattr",
                    "-binary",
                    "-in",
                    base + ".roothash.txt",
                    "-inkey",
                    signer.key(),
                    "-signer",
                    signer.cert(),
                    "-outform",
                    "der",
                    "-out",
                    base + ".roothash.p7s");
            host.execOk("rm", "-f", base + ".roothash.txt");
        }
        return rootHash;
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
