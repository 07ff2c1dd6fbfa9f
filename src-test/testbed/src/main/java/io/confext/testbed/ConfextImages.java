package io.confext.testbed;

import java.util.Map;
import java.util.UUID;

/**
 * Builds naked confext images inside a host with its own tools ({@code mkfs.erofs}, {@code mksquashfs}),
 * so tests use images made by real third-party producers. FORKY has both tools; TRIXIE has neither.
 */
public final class ConfextImages {

    private ConfextImages() {}

    /**
     * Writes an erofs image to {@code outPathInHost} (atomically: built next to it, then renamed) holding
     * {@code etcFiles} (paths relative to /etc) and {@code etc/extension-release.d/extension-release.<name>}
     * with {@code ID=_any} plus {@code releaseExtra} (e.g. "VERSION=3\n").
     */
    public static void erofs(
            SystemdHost host,
            String outPathInHost,
            String extensionName,
            Map<String, String> etcFiles,
            String releaseExtra) {
        build(
                host,
                outPathInHost,
                extensionName,
                etcFiles,
                releaseExtra,
                "mkfs.erofs \"$out.tmp\" \"$src\" >/dev/null");
    }

    /** Like {@link #erofs}, as squashfs. */
    public static void squashfs(
            SystemdHost host,
            String outPathInHost,
            String extensionName,
            Map<String, String> etcFiles,
            String releaseExtra) {
        build(
                host,
                outPathInHost,
                extensionName,
                etcFiles,
                releaseExtra,
                "mksquashfs \"$src\" \"$out.tmp\" -quiet -noappend -all-root >/dev/null");
    }

    /**
     * Writes a signed confext DDI (GPT: erofs root + root-verity + root-verity-sig) built by the host's
     * {@code systemd-repart --make-ddi=confext} (FORKY only), signed with {@code keyPem}/{@code certPem}
     * (paths in the host; see {@link #selfSignedCertificate}). This kernel has no device-mapper, so a unit
     * mounts it with {@code ExtensionImagePolicy=root=unprotected+absent:usr=absent} (verity unused).
     */
    public static void ddi(
            SystemdHost host,
            String outPathInHost,
            String extensionName,
            Map<String, String> etcFiles,
            String releaseExtra,
            String keyPem,
            String certPem) {
        checkName(extensionName);
        String src = "/var/tmp/confext-image-src-" + UUID.randomUUID();
        host.writeFile(
                src + "/etc/extension-release.d/extension-release." + extensionName,
                "ID=_any\n" + releaseExtra,
                "0644");
        etcFiles.forEach(
                (path, content) -> host.writeFile(src + "/etc/" + path.replaceFirst("^/+", ""), content, "0644"));
        host.execOk(
                "sh",
                "-c",
                "set -e; src=\"$1\"; out=\"$2\"; mkdir -p \"$(dirname \"$out\")\"; rm -f \"$out.tmp\"; "
                        + "systemd-repart --make-ddi=confext --copy-source=\"$src\" --private-key=\"$3\" --certificate=\"$4\" "
                        + "--offline=yes \"$out.tmp\" >/dev/null; mv -f \"$out.tmp\" \"$out\"; rm -rf \"$src\"",
                "sh",
                src,
                outPathInHost,
                keyPem,
                certPem);
    }

    /** A throw-away RSA key and self-signed certificate (PEM) made by the host's openssl. */
    public static void selfSignedCertificate(SystemdHost host, String keyPem, String certPem, String commonName) {
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
                "/CN=" + commonName,
                "-keyout",
                keyPem,
                "-out",
                certPem);
    }

    /**
     * Writes a directory extension at {@code dirPathInHost} (e.g. {@code /var/lib/x/demo.v/demo_2}): built in a
     * sibling temporary directory and renamed into place, so systemd never sees half of it.
     */
    public static void directory(
            SystemdHost host,
            String dirPathInHost,
            String extensionName,
            Map<String, String> etcFiles,
            String releaseExtra) {
        checkName(extensionName);
        String tmp = dirPathInHost + ".tmp-" + UUID.randomUUID();
        host.writeFile(
                tmp + "/etc/extension-release.d/extension-release." + extensionName,
                "ID=_any\n" + releaseExtra,
                "0644");
        etcFiles.forEach(
                (path, content) -> host.writeFile(tmp + "/etc/" + path.replaceFirst("^/+", ""), content, "0644"));
        host.execOk("sh", "-c", "rm -rf \"$2\" && mv -T \"$1\" \"$2\"", "sh", tmp, dirPathInHost);
    }

    private static void checkName(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
            throw new IllegalArgumentException(
                    "extension name must be letters, digits, '.', '-' (no '_', it separates the version): " + name);
        }
    }

    private static void build(
            SystemdHost host, String out, String name, Map<String, String> etcFiles, String releaseExtra, String mkfs) {
        checkName(name);
        String src = "/var/tmp/confext-image-src-" + UUID.randomUUID();
        host.writeFile(src + "/etc/extension-release.d/extension-release." + name, "ID=_any\n" + releaseExtra, "0644");
        etcFiles.forEach(
                (path, content) -> host.writeFile(src + "/etc/" + path.replaceFirst("^/+", ""), content, "0644"));
        host.execOk(
                "sh",
                "-c",
                "set -e; src=\"$1\"; out=\"$2\"; mkdir -p \"$(dirname \"$out\")\"; rm -f \"$out.tmp\"; " + mkfs
                        + "; mv -f \"$out.tmp\" \"$out\"; rm -rf \"$src\"",
                "sh",
                src,
                out);
    }
}
