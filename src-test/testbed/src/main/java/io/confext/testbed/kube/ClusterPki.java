package io.confext.testbed.kube;

import io.confext.testbed.ProcessRunner;
import io.confext.testbed.TestbedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The certificates of one test cluster, made with openssl in a directory of its own: a CA, the API server's
 * serving certificate, client certificates for the admin, the controller-manager, the scheduler and the API
 * server's kubelet client, and per node a kubelet client certificate ({@code CN=system:node:NAME},
 * {@code O=system:nodes}: what the Node authorizer and NodeRestriction key on) and a kubelet serving
 * certificate. RSA 2048 keys throughout: every client reads them (fabric8's client cannot read PKCS#8 EC keys
 * without BouncyCastle), and the service-account signing key is the algorithm every token reader supports.
 */
public final class ClusterPki {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);
    private final Path dir;

    private ClusterPki(Path dir) {
        this.dir = dir;
    }

    /** A new CA and service-account key pair in {@code dir}. */
    public static ClusterPki create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClusterPki pki = new ClusterPki(dir);
        pki.openssl(
                "req",
                "-x509",
                "-new",
                "-nodes",
                "-newkey",
                "rsa:2048",
                "-keyout",
                pki.key("ca").toString(),
                "-out",
                pki.cert("ca").toString(),
                "-subj",
                "/CN=confext-testbed-ca",
                "-days",
                "30",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        pki.openssl(
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                dir.resolve("sa.key").toString());
        pki.openssl(
                "pkey",
                "-in",
                dir.resolve("sa.key").toString(),
                "-pubout",
                "-out",
                dir.resolve("sa.pub").toString());
        return pki;
    }

    /**
     * Issues {@code name.crt}/{@code name.key} signed by the CA (one at a time: openssl keeps the CA's serial in a
     * file).
     *
     * @param subject e.g. {@code /O=system:nodes/CN=system:node:node1}
     * @param sans    subjectAltName entries ({@code IP:10.0.0.1}, {@code DNS:kubernetes}); empty for a client
     */
    public synchronized void issue(String name, String subject, List<String> sans) {
        Path ext = dir.resolve(name + ".ext");
        StringBuilder e = new StringBuilder("basicConstraints=CA:FALSE\n")
                .append("keyUsage=critical,digitalSignature,keyEncipherment\n")
                .append("extendedKeyUsage=")
                .append(sans.isEmpty() ? "clientAuth" : "serverAuth,clientAuth")
                .append('\n');
        if (!sans.isEmpty()) {
            e.append("subjectAltName=").append(String.join(",", sans)).append('\n');
        }
        try {
            Files.writeString(ext, e.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Path csr = dir.resolve(name + ".csr");
        openssl(
                "req",
                "-new",
                "-nodes",
                "-newkey",
                "rsa:2048",
                "-keyout",
                key(name).toString(),
                "-out",
                csr.toString(),
                "-subj",
                subject);
        openssl(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                cert("ca").toString(),
                "-CAkey",
                key("ca").toString(),
                "-CAcreateserial",
                "-days",
                "30",
                "-extfile",
                ext.toString(),
                "-out",
                cert(name).toString());
    }

    public Path dir() {
        return dir;
    }

    public Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    public Path serviceAccountKey() {
        return dir.resolve("sa.key");
    }

    public Path serviceAccountPublicKey() {
        return dir.resolve("sa.pub");
    }

    /**
     * A kubeconfig for the client certificate {@code name}, everything embedded, so it can be copied into a
     * node as it is.
     */
    public String kubeconfig(String server, String name) {
        return "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: testbed\n  cluster:\n    server: " + server + "\n"
                + "    certificate-authority-data: " + base64(cert("ca")) + "\n"
                + "users:\n- name: " + name + "\n  user:\n"
                + "    client-certificate-data: " + base64(cert(name)) + "\n"
                + "    client-key-data: " + base64(key(name)) + "\n"
                + "contexts:\n- name: testbed\n  context:\n    cluster: testbed\n    user: " + name + "\n"
                + "current-context: testbed\n";
    }

    private static String base64(Path file) {
        try {
            return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        try {
            ProcessRunner.runOk(argv, OPENSSL_TIMEOUT);
        } catch (TestbedException e) {
            throw new TestbedException(
                    "cannot make the test cluster's certificates in " + dir + ": " + e.getMessage(), e);
        }
    }
}
