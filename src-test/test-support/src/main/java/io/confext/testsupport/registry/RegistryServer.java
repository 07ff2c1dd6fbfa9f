package io.confext.testsupport.registry;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real OCI registry on 127.0.0.1: Debian's {@code docker-registry} (distribution 2.8) with a TLS certificate made
 * here (a self-signed CA for 127.0.0.1) and htpasswd basic auth for one user, storing on the file system under the
 * given directory; artifacts pushed with the real {@code oras} client. Tools come from scripts/install-registry-tools:
 * {@link #missingTools()} says which are absent, so a test can skip and print why.
 */
public final class RegistryServer implements AutoCloseable {
    public static final String USER = "puller";
    private static final Pattern DIGEST = Pattern.compile("Digest:\\s*(sha256:[0-9a-f]{64})");

    private final Path dir;
    private final int port;
    private final String password;
    private final String caPem;
    private final SSLContext clientTls;
    private final Process process;

    private RegistryServer(Path dir, int port, String password, String caPem, SSLContext clientTls, Process process) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.caPem = caPem;
        this.clientTls = clientTls;
        this.process = process;
    }

    /** The docker-registry binary: $CONFEXT_DOCKER_REGISTRY or Debian's. */
    public static Path registryBinary() {
        return Path.of(System.getenv().getOrDefault("CONFEXT_DOCKER_REGISTRY", "/usr/bin/docker-registry"));
    }

    /** The oras binary: $CONFEXT_ORAS or the one scripts/install-registry-tools builds into the cache. */
    public static Path orasBinary() {
        String env = System.getenv("CONFEXT_ORAS");
        return env != null
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache/confext-operator/go-bin/oras");
    }

    /** The tools this fixture needs that are not installed, as a sentence; empty when all are there. */
    public static String missingTools() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(registryBinary())) {
            missing.add(registryBinary() + " (apt-get install docker-registry)");
        }
        if (!Files.isExecutable(orasBinary())) {
            missing.add(orasBinary() + " (scripts/install-registry-tools)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/htpasswd"))) {
            missing.add("/usr/bin/htpasswd (apt-get install apache2-utils)");
        }
        return String.join(", ", missing);
    }

    public static RegistryServer start(Path dir) throws Exception {
        Files.createDirectories(dir);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=confext test registry CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                name,
                kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        String certPem = pem(cert);
        Files.writeString(dir.resolve("ca.pem"), certPem);
        // PKCS#8, which Go's TLS reads (JcaPEMWriter would write the key in a form docker-registry refuses)
        Files.writeString(
                dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(kp.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");

        String password = "pw-" + Long.toHexString(now.toEpochMilli());
        run(dir, List.of("/usr/bin/htpasswd", "-Bbc", dir.resolve("htpasswd").toString(), USER, password));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  tls:
                    certificate: %s
                    key: %s
                auth:
                  htpasswd:
                    realm: confext-test
                    path: %s
                """.formatted(
                dir.resolve("data"), port, dir.resolve("ca.pem"), dir.resolve("key.pem"), dir.resolve("htpasswd")));
        Process p = new ProcessBuilder(
                        registryBinary().toString(),
                        "serve",
                        dir.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();

        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        RegistryServer r = new RegistryServer(dir, port, password, certPem, client, p);
        r.awaitReady();
        return r;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(clientTls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        // generous: the machine is shared and loaded
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": " + log());
            }
            try {
                int code = http.send(
                                HttpRequest.newBuilder(URI.create("https://" + address() + "/v2/"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (code == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("docker-registry did not answer on " + address() + " within 120 s: " + log());
    }

    /** host:port, as a reference's registry part. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    /** The PEM of the CA the registry's certificate is (self-signed), as a bundle's caBundle. */
    public String caPem() {
        return caPem;
    }

    public SSLContext clientTls() {
        return clientTls;
    }

    /** One file of an artifact: its path (its title in the manifest) and media type. */
    public record Layer(Path file, String mediaType) {}

    /**
     * Pushes an artifact with oras, authenticated and trusting the CA.
     *
     * @param repoAndTag e.g. {@code confext/demo:1}
     * @return the manifest digest oras reports
     */
    public String push(String repoAndTag, String artifactType, Layer... layers) throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                orasBinary().toString(),
                "push",
                "--ca-file",
                dir.resolve("ca.pem").toString(),
                "--username",
                USER,
                "--password",
                password,
                "--artifact-type",
                artifactType,
                address() + "/" + repoAndTag));
        Path workDir = layers.length == 0 ? dir : layers[0].file().getParent();
        for (Layer l : layers) {
            if (!l.file().getParent().equals(workDir)) {
                throw new IllegalArgumentException(
                        "oras names a layer by its relative path: put every file in " + workDir);
            }
            argv.add(l.file().getFileName() + ":" + l.mediaType());
        }
        String out = run(workDir, argv);
        Matcher m = DIGEST.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("oras push printed no digest: " + out);
        }
        return m.group(1);
    }

    /** Where the registry stores a blob on disk: tests corrupt or delete it, as a failing disk or a GC would. */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("data/docker/registry/v2/blobs/sha256")
                .resolve(hex.substring(0, 2))
                .resolve(hex)
                .resolve("data");
    }

    public String log() {
        try {
            String s = Files.readString(dir.resolve("registry.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String run(Path dir, List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(argv.get(0) + " " + argv.get(1) + " failed: " + out);
        }
        return out;
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}
