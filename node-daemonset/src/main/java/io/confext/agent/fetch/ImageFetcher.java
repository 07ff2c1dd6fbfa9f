package io.confext.agent.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Downloads an image into a staging directory: HTTPS (plain HTTP only on the caller's say-so),
 * connect timeout, a stall detector (no byte for {@code stallTimeout} aborts the attempt), retries
 * with exponential backoff, resume with {@code Range} after a broken transfer, a size cap, and the
 * sha256 computed while streaming. Every failure is a {@link FetchResult.Failed} with a reason a
 * person can act on, and the partial file is deleted.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: its per-read socket
 * timeout is exactly the stall detector needed, with no watchdog thread.
 */
public final class ImageFetcher {
    /** At most 18 digits per number: any such number fits a long, so parsing cannot fail (19 digits could overflow). */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

    private static final int BUFFER = 64 * 1024;

    /** Waits between attempts; replaceable so tests need not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final FetchSettings settings;
    private final Sleeper sleeper;

    public ImageFetcher(FetchSettings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    public ImageFetcher(FetchSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
    }

    /** An attempt's failure; {@code retryable} says whether another attempt may help. */
    private static final class AttemptFailed extends Exception {
        final FetchFailure reason;
        final boolean retryable;

        AttemptFailed(FetchFailure reason, String message, boolean retryable) {
            super(message);
            this.reason = reason;
            this.retryable = retryable;
        }
    }

    /** Transfer state across attempts: bytes on disk and the digest over exactly those bytes. */
    private static final class Progress {
        long have;
        long total = -1;
        MessageDigest sha = sha256();
        String validator;

        void restart() {
            have = 0;
            total = -1;
            sha = sha256();
            validator = null;
        }
    }

    public FetchResult fetch(FetchRequest req, Path stagingDir) {
        String scheme =
                req.url().getScheme() == null ? "" : req.url().getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return new FetchResult.Failed(
                    FetchFailure.BAD_URL, "image URL " + req.url() + " is not an https:// URL", 0);
        }
        if (scheme.equals("http") && !req.allowPlainHttp()) {
            return new FetchResult.Failed(
                    FetchFailure.PLAIN_HTTP_REFUSED,
                    "refusing plain http:// for " + req.url()
                            + ": serve the image over https, or opt the bundle in to plain HTTP (the sha256 still protects the content)",
                    0);
        }
        if (req.sha256() != null && !req.sha256().matches("[0-9a-f]{64}")) {
            return new FetchResult.Failed(
                    FetchFailure.BAD_URL, "the bundle's sha256 '" + req.sha256() + "' is not 64 hex digits", 0);
        }
        Path part;
        try {
            Files.createDirectories(stagingDir);
            part = Files.createTempFile(stagingDir, ".fetch-", ".part");
        } catch (IOException e) {
            return new FetchResult.Failed(
                    FetchFailure.STAGING_FAILED,
                    "cannot create a file in staging " + stagingDir + ": " + e.getMessage(),
                    0);
        }
        FetchResult result = null;
        try {
            result = fetchInto(req, part);
            return result;
        } finally {
            if (!(result instanceof FetchResult.Fetched)) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // The staging directory is swept at start-up; nothing more to do here.
                }
            }
        }
    }

    private FetchResult fetchInto(FetchRequest req, Path part) {
        Progress p = new Progress();
        AttemptFailed last = null;
        int attempt = 0;
        while (attempt < settings.maxAttempts()) {
            attempt++;
            try {
                attemptOnce(req, part, p);
                String got = HexFormat.of().formatHex(p.sha.digest());
                if (req.sha256() != null && !got.equals(req.sha256())) {
                    return new FetchResult.Failed(
                            FetchFailure.SHA256_MISMATCH,
                            "sha256 mismatch: expected " + req.sha256() + ", got " + got + "; the image at " + req.url()
                                    + " changed or the bundle's sha256 is wrong",
                            attempt);
                }
                return new FetchResult.Fetched(part, got, p.have, attempt);
            } catch (AttemptFailed e) {
                last = e;
                if (!e.retryable || attempt >= settings.maxAttempts()) {
                    break;
                }
                try {
                    sleeper.sleep(settings.backoffAfter(attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String tries = attempt == 1 ? "" : " (after " + attempt + " attempts)";
        return new FetchResult.Failed(last.reason, last.getMessage() + tries, attempt);
    }

    private void attemptOnce(FetchRequest req, Path part, Progress p) throws AttemptFailed {
        HttpURLConnection c = null;
        try {
            c = open(req.url());
            req.headers().forEach(c::setRequestProperty);
            if (p.have > 0) {
                c.setRequestProperty("Range", "bytes=" + p.have + "-");
                if (p.validator != null) {
                    c.setRequestProperty("If-Range", p.validator);
                }
            }
            int code = c.getResponseCode();
            boolean resumed = false;
            if (code == 404 || code == 410) {
                throw new AttemptFailed(
                        FetchFailure.NOT_FOUND,
                        "the image " + req.url() + " does not exist (HTTP " + code
                                + "); check the bundle's source.image.url",
                        false);
            }
            if (code == 206 && p.have > 0) {
                java.util.OptionalLong total = resumedTotal(c.getHeaderField("Content-Range"), p.have);
                if (total.isPresent()) {
                    resumed = true;
                    if (total.getAsLong() >= 0) {
                        p.total = total.getAsLong();
                    }
                } else {
                    p.restart();
                    throw new AttemptFailed(
                            FetchFailure.TRUNCATED,
                            "the server answered the resume request for " + req.url() + " with an unexpected range '"
                                    + c.getHeaderField("Content-Range") + "'",
                            true);
                }
            } else if (code == 200) {
                p.restart();
                p.total = c.getContentLengthLong();
            } else if (code == 416) {
                p.restart();
                throw new AttemptFailed(
                        FetchFailure.TRUNCATED, "the server refused to resume " + req.url() + " (HTTP 416)", true);
            } else {
                boolean transientCode = code >= 500 || code == 408 || code == 429;
                throw new AttemptFailed(
                        FetchFailure.HTTP_ERROR,
                        "the server answered HTTP " + code + " for " + req.url()
                                + (transientCode ? "" : "; check the URL and the server's access rules"),
                        transientCode);
            }
            if (p.validator == null) {
                String etag = c.getHeaderField("ETag");
                p.validator = etag != null && !etag.startsWith("W/") ? etag : c.getHeaderField("Last-Modified");
            }
            if (p.total > req.maxBytes()) {
                throw new AttemptFailed(
                        FetchFailure.TOO_LARGE,
                        "the image " + req.url() + " is " + p.total + " bytes, above the limit of " + req.maxBytes()
                                + "; raise the agent's image size limit or make the image smaller",
                        false);
            }
            var noRoom = req.room().refuse(p.total >= 0 ? Math.max(0, p.total - p.have) : 0);
            if (noRoom
                    .isPresent()) { // before a byte is written: the disk's free space is not used up by a download that
                // cannot fit
                throw new AttemptFailed(FetchFailure.NO_ROOM, noRoom.get(), false);
            }
            stream(req, part, p, c, resumed);
        } catch (AttemptFailed e) {
            throw e;
        } catch (RuntimeException e) {
            // HttpURLConnection throws unchecked exceptions for some malformed answers (headers, redirects).
            throw new AttemptFailed(
                    FetchFailure.HTTP_ERROR, "the server's answer for " + req.url() + " is malformed: " + e, true);
        } catch (SSLHandshakeException e) {
            throw new AttemptFailed(
                    FetchFailure.TLS_FAILURE,
                    "TLS handshake with " + req.url().getHost() + " failed: " + e.getMessage()
                            + "; the server's certificate is not trusted by the agent (or not valid for this host name)",
                    false);
        } catch (SSLException e) {
            throw new AttemptFailed(
                    FetchFailure.TLS_FAILURE,
                    "TLS failure talking to " + req.url().getHost() + ": " + e.getMessage(),
                    true);
        } catch (UnknownHostException e) {
            throw new AttemptFailed(
                    FetchFailure.CONNECT_FAILED,
                    "cannot resolve " + req.url().getHost() + "; check the URL and the node's DNS",
                    true);
        } catch (ConnectException e) {
            throw new AttemptFailed(
                    FetchFailure.CONNECT_FAILED,
                    "cannot connect to " + req.url().getHost() + ":" + port(req.url()) + ": " + e.getMessage(),
                    true);
        } catch (SocketTimeoutException e) {
            throw new AttemptFailed(
                    FetchFailure.STALLED,
                    "the transfer of " + req.url() + " stalled: no data for "
                            + settings.stallTimeout().toSeconds() + " s at byte " + p.have,
                    true);
        } catch (IOException e) {
            throw new AttemptFailed(
                    FetchFailure.TRUNCATED,
                    "the transfer of " + req.url() + " broke at byte " + p.have + (p.total > 0 ? " of " + p.total : "")
                            + ": " + e.getMessage(),
                    true);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private void stream(FetchRequest req, Path part, Progress p, HttpURLConnection c, boolean append)
            throws IOException, AttemptFailed {
        byte[] buf = new byte[BUFFER];
        try (InputStream in = c.getInputStream();
                OutputStream out = Files.newOutputStream(
                        part,
                        StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (p.have + n > req.maxBytes()) {
                    throw new AttemptFailed(
                            FetchFailure.TOO_LARGE,
                            "the image " + req.url() + " exceeds the limit of " + req.maxBytes()
                                    + " bytes; raise the agent's image size limit or make the image smaller",
                            false);
                }
                out.write(buf, 0, n);
                p.sha.update(buf, 0, n);
                p.have += n;
            }
        }
        if (p.total >= 0 && p.have < p.total) {
            throw new AttemptFailed(
                    FetchFailure.TRUNCATED,
                    "the transfer of " + req.url() + " ended at byte " + p.have + " of " + p.total,
                    true);
        }
    }

    /**
     * What a 206 answer's Content-Range says when it resumes exactly at {@code have}: the total
     * size, or -1 for an unknown total ({@code /*}). Empty for anything else (absent, malformed,
     * another start, end before start, end past the total): the caller restarts the download.
     */
    static java.util.OptionalLong resumedTotal(String contentRange, long have) {
        if (contentRange == null) {
            return java.util.OptionalLong.empty();
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            return java.util.OptionalLong.empty();
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        if (start != have || end < start || (total >= 0 && end >= total)) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(total);
    }

    private HttpURLConnection open(URI url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        c.setConnectTimeout((int) settings.connectTimeout().toMillis());
        c.setReadTimeout((int) settings.stallTimeout().toMillis());
        c.setUseCaches(false);
        // Redirects are followed only within the same scheme (HttpURLConnection never turns https into http).
        c.setInstanceFollowRedirects(true);
        c.setRequestProperty("Accept-Encoding", "identity");
        if (c instanceof HttpsURLConnection https && settings.sslContext().isPresent()) {
            https.setSSLSocketFactory(settings.sslContext().get().getSocketFactory());
        }
        return c;
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
