package io.confext.agent.verify;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds confext images at test time with third-party producers: mkfs.erofs for the file system,
 * veritysetup for the hash tree, openssl for keys and the PKCS#7 root hash signature, and
 * systemd-repart for the GPT. No binary image is committed.
 */
public final class TestImages {
    private static final Pattern ROOT_HASH = Pattern.compile("Root hash:\\s+([0-9a-f]+)");

    private TestImages() {}

    public static void assumeTools(String... tools) {
        for (String t : tools) {
            assumeTrue(
                    Cmd.available(t),
                    t + " is not installed (apt-get install erofs-utils cryptsetup-bin openssl systemd-repart)");
        }
    }

    /** A key pair and self-signed certificate made by openssl. */
    public record Pki(Path key, Path cert) {
        public static Pki create(Path dir, String cn) {
            Path key = dir.resolve(cn + ".key");
            Path cert = dir.resolve(cn + ".crt");
            Cmd.run(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    key.toString(),
                    "-out",
                    cert.toString(),
                    "-days",
                    "30",
                    "-subj",
                    "/CN=" + cn);
            return new Pki(key, cert);
        }

        byte[] sign(String rootHashHex, Path workDir) throws IOException {
            Path in = Files.createTempFile(workDir, "roothash", ".txt");
            Path out = Files.createTempFile(workDir, "sig", ".p7s");
            Files.writeString(in, rootHashHex, StandardCharsets.US_ASCII);
            Cmd.run(
                    "openssl",
                    "smime",
                    "-sign",
                    "-nocerts",
                    "-noattr",
                    "-binary",
                    "-in",
                    in.toString(),
                    "-inkey",
                    key.toString(),
                    "-signer",
                    cert.toString(),
                    "-outform",
                    "der",
                    "-out",
                    out.toString());
            return Files.readAllBytes(out);
        }

        public String fingerprint() {
            String out = Cmd.run("openssl", "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256");
            return out.substring(out.indexOf('=') + 1).trim().replace(":", "").toLowerCase();
        }
    }

    /** Writes a confext tree: etc/extension-release.d/extension-release.NAME plus the given files. */
    public static Path tree(Path dir, String name, String extensionRelease, String... filesAndContents)
            throws IOException {
        Path root = dir.resolve("tree-" + name + "-" + System.nanoTime());
        Files.createDirectories(root.resolve("etc/extension-release.d"));
        Files.writeString(root.resolve("etc/extension-release.d/extension-release." + name), extensionRelease);
        for (int i = 0; i + 1 < filesAndContents.length; i += 2) {
            Path f = root.resolve(filesAndContents[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, filesAndContents[i + 1]);
        }
        return root;
    }

    /** A squashfs of {@code tree}, with extra mksquashfs options such as {@code -comp xz}; 4 KiB blocks unless given. */
    static void mksquashfs(Path tree, Path out, String... options) {
        List<String> cmd = new ArrayList<>(List.of(
                "mksquashfs", tree.toString(), out.toString(), "-quiet", "-noappend", "-all-root", "-no-progress"));
        if (!List.of(options).contains("-b")) {
            cmd.addAll(List.of("-b", "4096"));
        }
        cmd.addAll(List.of(options));
        Cmd.run(cmd.toArray(String[]::new));
    }

    static void mkfsErofs(Path tree, Path out) {
        Cmd.run("mkfs.erofs", "-T0", "--all-root", out.toString(), tree.toString());
    }

    static String verityFormat(Path data, Path hash) {
        Matcher m = ROOT_HASH.matcher(Cmd.run("veritysetup", "format", data.toString(), hash.toString()));
        if (!m.find()) {
            throw new IllegalStateException("veritysetup printed no root hash");
        }
        return m.group(1);
    }

    static boolean veritysetupVerifies(Path data, Path hash, String rootHash) {
        try {
            Cmd.run("veritysetup", "verify", data.toString(), hash.toString(), rootHash);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** A naked erofs image NAME.raw with NAME.verity, NAME.roothash and (when pki is given) NAME.roothash.p7s; returns the root hash. */
    public static String naked(Path tree, Path image, Pki pki) throws IOException {
        mkfsErofs(tree, image);
        return sidecars(image, pki);
    }

    /** As {@link #naked}, with a squashfs (mksquashfs' default gzip) instead of erofs. */
    static String nakedSquashfs(Path tree, Path image, Pki pki) throws IOException {
        mksquashfs(tree, image);
        return sidecars(image, pki);
    }

    private static String sidecars(Path image, Pki pki) throws IOException {
        String base = image.toString().substring(0, image.toString().length() - ".raw".length());
        String root = verityFormat(image, Path.of(base + ".verity"));
        Files.writeString(Path.of(base + ".roothash"), root + "\n");
        if (pki != null) {
            Files.write(Path.of(base + ".roothash.p7s"), pki.sign(root, image.getParent()));
        }
        return root;
    }

    /** The root-verity-sig partition content systemd-repart writes: JSON, NUL-padded to 4096. */
    static byte[] signatureJson(String rootHash, byte[] der, String fingerprint) {
        String json = "{\"rootHash\":\"" + rootHash + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(der) + "\""
                + (fingerprint == null ? "" : ",\"certificateFingerprint\":\"" + fingerprint + "\"") + "}\n";
        byte[] b = json.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[((b.length + 4095) / 4096) * 4096];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /**
     * A DDI assembled by systemd-repart from prebuilt partition contents (CopyBlocks=): root (erofs),
     * root-verity (veritysetup hash area) and, when pki is given, root-verity-sig. Partition UUIDs
     * are the root hash halves, as repart's own --make-ddi sets them.
     */
    public static String ddi(Path tree, Path out, Pki pki, String arch) throws IOException {
        Path work = Files.createTempDirectory(out.getParent(), "ddi");
        Path fs = work.resolve("root.erofs");
        Path hash = work.resolve("root.verity");
        mkfsErofs(tree, fs);
        String root = verityFormat(fs, hash);
        String suffix = arch.equals("x86-64") ? "" : "-" + arch;
        Path defs = Files.createDirectories(work.resolve("defs"));
        Files.writeString(
                defs.resolve("10-root.conf"),
                "[Partition]\nType=root" + suffix + "\nUUID=" + uuid(root.substring(0, 32)) + "\nCopyBlocks=" + fs
                        + "\n");
        Files.writeString(
                defs.resolve("20-verity.conf"),
                "[Partition]\nType=root" + suffix + "-verity\nUUID=" + uuid(root.substring(32)) + "\nCopyBlocks=" + hash
                        + "\n");
        if (pki != null) {
            Path sig = work.resolve("root.sig");
            Files.write(sig, signatureJson(root, pki.sign(root, work), pki.fingerprint()));
            Files.writeString(
                    defs.resolve("30-sig.conf"),
                    "[Partition]\nType=root" + suffix + "-verity-sig\nSizeMinBytes=16K\nSizeMaxBytes=16K\nCopyBlocks="
                            + sig + "\n");
        }
        Files.deleteIfExists(out);
        Cmd.run(
                "systemd-repart",
                "--definitions=" + defs,
                "--empty=create",
                "--size=auto",
                "--dry-run=no",
                "--no-pager",
                out.toString());
        return root;
    }

    private static String uuid(String hex32) {
        return hex32.substring(0, 8) + "-" + hex32.substring(8, 12) + "-" + hex32.substring(12, 16) + "-"
                + hex32.substring(16, 20) + "-" + hex32.substring(20);
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }

    static Path copy(Path src, Path dst) throws IOException {
        return Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static Set<String> sidecarSuffixes() {
        return Set.of(".verity", ".roothash", ".roothash.p7s");
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
