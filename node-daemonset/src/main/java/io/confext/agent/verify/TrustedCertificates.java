package io.confext.agent.verify;

import io.confext.agent.host.HostPaths;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * The certificates a root hash may be signed by. Like systemd's user-space check, membership is
 * all that counts: no chain building, no expiry check. Sources: PEM {@code *.crt} files in a
 * {@code verity.d} directory, or PEM text carried by a bundle revision.
 */
public record TrustedCertificates(List<X509CertificateHolder> certificates) {
    public TrustedCertificates {
        certificates = List.copyOf(certificates);
    }

    public static TrustedCertificates none() {
        return new TrustedCertificates(List.of());
    }

    /** Reads every {@code *.crt} in the given directories; missing directories are skipped (they are optional, as in systemd). */
    public static TrustedCertificates fromDirectories(List<Path> dirs) throws IOException {
        List<X509CertificateHolder> all = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.crt")) {
                List<Path> files = new ArrayList<>();
                ds.forEach(files::add);
                files.sort(null);
                for (Path f : files) {
                    try (Reader r = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
                        all.addAll(parse(r, f.toString()));
                    }
                }
            }
        }
        return new TrustedCertificates(all);
    }

    /**
     * The node's own trust, where systemd looks for it: {@code verity.d} under {@code /etc},
     * {@code /run}, {@code /usr/local/lib} and {@code /usr/lib} of the given root (the host's root as
     * the agent sees it, e.g. {@code /proc/1/root}). The directories and their {@code *.crt} files are the host's
     * own and may be links (NixOS builds /etc of them): they are followed inside the host's root, never into the
     * agent's container, where an absolute link through {@code /proc/<pid>/root} would otherwise end.
     */
    public static TrustedCertificates systemVerityD(Path root) throws IOException {
        HostPaths paths = new HostPaths(root);
        List<X509CertificateHolder> all = new ArrayList<>();
        for (String hostDir :
                List.of("/etc/verity.d", "/run/verity.d", "/usr/local/lib/verity.d", "/usr/lib/verity.d")) {
            Path dir = paths.inRoot(hostDir);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.crt")) {
                ds.forEach(p -> names.add(p.getFileName().toString()));
            }
            names.sort(null);
            for (String n : names) {
                Path f = paths.inRoot(hostDir + "/" + n);
                if (!Files.isRegularFile(f)) {
                    continue; // a dangling link, as systemd skips it
                }
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
                    all.addAll(parse(r, hostDir + "/" + n));
                }
            }
        }
        return new TrustedCertificates(all);
    }

    public static TrustedCertificates fromPem(List<String> pems) throws IOException {
        List<X509CertificateHolder> all = new ArrayList<>();
        int i = 0;
        for (String pem : pems) {
            all.addAll(parse(new StringReader(pem), "PEM #" + (++i)));
        }
        return new TrustedCertificates(all);
    }

    private static List<X509CertificateHolder> parse(Reader r, String source) throws IOException {
        List<X509CertificateHolder> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder c) {
                    out.add(c);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(source + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    public static String fingerprint(X509CertificateHolder cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }
}
