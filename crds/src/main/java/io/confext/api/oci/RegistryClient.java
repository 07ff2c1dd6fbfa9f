package io.confext.api.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.api.status.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Talks to one registry over HTTPS (OCI distribution API): reads manifests, checked against their digest, and
 * answers the registry's challenge ({@code WWW-Authenticate: Basic}, or {@code Bearer} with a token from the realm it
 * names, scoped to pulling the repository). Blobs are not read here: the agent streams them with its own fetcher,
 * sending {@link #authorization()}. Every failure is an {@link OciFailure} whose reason and message say what to fix.
 */
public final class RegistryClient {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Manifests are small; anything bigger is not a confext artifact's. */
    static final int MAX_MANIFEST = 4 * 1024 * 1024;

    private final String registry;
    private final Optional<RegistryCredentials> credentials;
    private final HttpClient http;
    private final Duration timeout;
    private String authorization;

    public RegistryClient(
            String registry, Optional<RegistryCredentials> credentials, Optional<SSLContext> tls, Duration timeout) {
        this.registry = registry;
        this.credentials = credentials;
        this.timeout = timeout;
        HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL);
        tls.ifPresent(b::sslContext);
        this.http = b.build();
    }

    /**
     * A TLS context trusting exactly the PEM certificates given (a private CA).
     *
     * @throws OciFailure InvalidSpec when they cannot be read
     */
    public static SSLContext trusting(String pem, String field) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c :
                    cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new OciFailure(Reason.InvalidSpec, field + ": holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new OciFailure(
                    Reason.InvalidSpec, field + ": the PEM certificates cannot be read: " + e.getMessage());
        }
    }

    /** The {@code Authorization} value the registry accepted last, if it asked for one: blobs are fetched with it. */
    public Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    public URI blobUri(String repository, String digest) {
        return URI.create("https://" + registry + "/v2/" + repository + "/blobs/" + digest);
    }

    /**
     * The manifest of {@code repository} at a tag or digest, its bytes checked against the digest when one was asked
     * for.
     */
    public Manifest manifest(String repository, String tagOrDigest) {
        URI uri = URI.create("https://" + registry + "/v2/" + repository + "/manifests/" + tagOrDigest);
        String where = registry + "/" + repository + (OciReference.isDigest(tagOrDigest) ? "@" : ":") + tagOrDigest;
        HttpResponse<byte[]> r = send(uri, where, repository);
        if (r.statusCode() == 404) {
            throw new OciFailure(
                    Reason.ManifestNotFound,
                    "the registry has no manifest " + where
                            + "; check spec.source.oci.reference (the tag or digest may have been deleted)");
        }
        if (r.statusCode() != 200) {
            throw new OciFailure(
                    Reason.RegistryHttpError,
                    "the registry answered HTTP " + r.statusCode() + " for the manifest " + where);
        }
        byte[] body = r.body();
        if (body.length > MAX_MANIFEST) {
            throw new OciFailure(
                    Reason.ManifestInvalid,
                    "the manifest " + where + " is " + body.length + " bytes, above " + MAX_MANIFEST);
        }
        String digest = "sha256:" + sha256(body);
        if (OciReference.isDigest(tagOrDigest) && !digest.equals(tagOrDigest)) {
            throw new OciFailure(
                    Reason.OciDigestMismatch,
                    "the registry sent a manifest for " + where + " whose digest is " + digest
                            + ": the registry's content is corrupt or not what the reference pins");
        }
        return new Manifest(digest, body);
    }

    /** @param digest {@code sha256:<hex>} computed over {@code bytes} */
    public record Manifest(String digest, byte[] bytes) {}

    private HttpResponse<byte[]> send(URI uri, String where, String repository) {
        HttpResponse<byte[]> r = get(uri, where);
        if (r.statusCode() == 401) {
            Optional<String> challenge = r.headers().firstValue("WWW-Authenticate");
            authorization = answer(challenge.orElse(""), where, repository);
            r = get(uri, where);
            if (r.statusCode() == 401) {
                throw new OciFailure(
                        Reason.RegistryUnauthorized,
                        "the registry " + registry + " refused the " + credentials.get() + " for " + where
                                + " (HTTP 401); check the user name and password in the pull Secret");
            }
        }
        if (r.statusCode() == 403) {
            throw new OciFailure(
                    Reason.RegistryForbidden,
                    "the registry " + registry + " forbids "
                            + credentials.map(Object::toString).orElse("anonymous pulls") + " to read " + where
                            + " (HTTP 403); grant pull access to the repository");
        }
        return r;
    }

    /** The Authorization value for a challenge, fetching a token for Bearer. */
    private String answer(String challenge, String where, String repository) {
        if (credentials.isEmpty() && !challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new OciFailure(
                    Reason.RegistryUnauthorized,
                    "the registry " + registry + " asks for credentials to read " + where
                            + " (HTTP 401); name a kubernetes.io/dockerconfigjson Secret in spec.source.oci.pullSecretName");
        }
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return credentials.get().basic();
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new OciFailure(
                    Reason.RegistryUnauthorized,
                    "the registry " + registry + " asks for an unknown kind of " + "authentication ('" + challenge
                            + "') to read " + where);
        }
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = p.get("realm");
        if (realm == null || !realm.startsWith("https://")) {
            throw new OciFailure(
                    Reason.RegistryUnauthorized,
                    "the registry " + registry + " names no https:// token realm in its challenge");
        }
        String scope = p.getOrDefault("scope", "repository:" + repository + ":pull");
        String q = "?scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + (p.containsKey("service")
                        ? "&service=" + URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8)
                        : "");
        HttpRequest.Builder tokenRequest =
                HttpRequest.newBuilder(URI.create(realm + q)).timeout(timeout).GET();
        credentials.ifPresent(c -> tokenRequest.header("Authorization", c.basic()));
        HttpResponse<byte[]> t = exchange(tokenRequest.build(), "the token of " + where);
        if (t.statusCode() == 401 || t.statusCode() == 403) {
            throw new OciFailure(
                    Reason.RegistryUnauthorized,
                    "the token service of " + registry + " refused "
                            + credentials.map(Object::toString).orElse("an anonymous pull") + " of " + where + " (HTTP "
                            + t.statusCode() + ")");
        }
        try {
            JsonNode tok = JSON.readTree(t.body());
            String token = tok.hasNonNull("token")
                    ? tok.get("token").asText()
                    : tok.path("access_token").asText("");
            if (t.statusCode() != 200 || token.isEmpty()) {
                throw new OciFailure(
                        Reason.RegistryUnauthorized,
                        "the token service of " + registry + " gave no token (HTTP " + t.statusCode() + ")");
            }
            return "Bearer " + token;
        } catch (IOException e) {
            throw new OciFailure(Reason.RegistryUnauthorized, "the token service of " + registry + " answered no JSON");
        }
    }

    private HttpResponse<byte[]> get(URI uri, String where) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).timeout(timeout).GET().header("Accept", ArtifactLayout.OCI_MANIFEST);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return exchange(b.build(), where);
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            // the JDK's words name its exception classes ("...SunCertPathBuilderException..."): a status says what to
            // do instead
            throw new OciFailure(
                    Reason.DownloadTlsFailure,
                    "TLS with " + request.uri().getAuthority() + " failed for " + what
                            + ": its certificate is not trusted (or not valid for that host name); give the registry's CA in "
                            + "spec.source.oci.caBundle");
        } catch (ConnectException e) {
            throw new OciFailure(
                    Reason.DownloadConnectFailed,
                    "cannot connect to " + request.uri().getAuthority() + " for " + what);
        } catch (HttpTimeoutException e) {
            throw new OciFailure(
                    Reason.DownloadStalled,
                    "the registry did not answer for " + what + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new OciFailure(
                    Reason.DownloadConnectFailed,
                    "talking to " + request.uri().getAuthority() + " for " + what + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciFailure(Reason.DownloadConnectFailed, "interrupted while reading " + what);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
