package io.confext.agent.healthcheck;

import io.confext.agent.host.CommandResult;
import io.confext.agent.host.HostCommands;
import io.confext.api.revision.ResolvedHealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs one health check once. A command runs through the host's PID 1 ({@link HostCommands}); in a unit's namespaces
 * it is entered with the host's own {@code nsenter -t MAINPID -a}, so it sees /etc as the unit does (its confext
 * view). Both under the host's {@code timeout}, so that a hung command is killed where it runs, not only the
 * nsenter the agent started. A GET goes to 127.0.0.1 from the agent's network namespace, which is the host's (the
 * DaemonSet runs with hostNetwork).
 */
public final class CheckRunner {
    /** Bytes of a response body kept for the status message. */
    private static final int BODY_BYTES = 1024;
    /** Above the check's own timeout: the host's timeout(1) ends the command first. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);

    private final HostCommands host;

    public CheckRunner(long hostPid) {
        this.host = new HostCommands(hostPid);
    }

    public CheckRun run(ResolvedHealthCheck check) {
        return check.exec() != null ? exec(check) : get(check);
    }

    private CheckRun exec(ResolvedHealthCheck check) {
        ResolvedHealthCheck.Exec e = check.exec();
        List<String> argv = new ArrayList<>(List.of("timeout", "--kill-after=1", check.timeoutSeconds() + "s"));
        if (e.inUnit()) {
            long pid = mainPid(e.unit());
            if (pid <= 0) {
                return CheckRun.fail(e.unit() + " has no main process to run the check in");
            }
            argv.addAll(List.of("nsenter", "-t", Long.toString(pid), "-a", "--"));
        }
        argv.addAll(e.command());
        CommandResult r;
        try {
            r = host.run(Duration.ofSeconds(check.timeoutSeconds()).plus(KILL_GRACE), argv.toArray(String[]::new));
        } catch (RuntimeException ex) {
            return CheckRun.fail("could not be started: " + ex.getMessage());
        }
        String output = (r.stdout() + "\n" + r.stderr()).strip();
        if (r.exitCode() == 0) {
            return CheckRun.pass("exit status 0");
        }
        if (r.exitCode() == 124 || r.exitCode() == 137 || r.exitCode() == -1) {
            return CheckRun.fail(
                    "timed out after " + check.timeoutSeconds() + "s" + (output.isEmpty() ? "" : ": " + output));
        }
        return CheckRun.fail("exit status " + r.exitCode() + (output.isEmpty() ? "" : ": " + output));
    }

    private long mainPid(String unit) {
        CommandResult r = host.run(Duration.ofSeconds(5), "systemctl", "show", "-p", "MainPID", "--value", unit);
        try {
            return r.exitCode() == 0 ? Long.parseLong(r.stdout().strip()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private CheckRun get(ResolvedHealthCheck check) {
        ResolvedHealthCheck.HttpGet g = check.httpGet();
        String url = (g.https() ? "https" : "http") + "://127.0.0.1:" + g.port() + g.path();
        int timeoutMillis = (int) Duration.ofSeconds(check.timeoutSeconds()).toMillis();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (c instanceof HttpsURLConnection https) {
                // like a kubelet probe: the certificate is not verified (a node's own service, often self-signed)
                https.setSSLSocketFactory(TRUST_ANY.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "confext-agent-health-check");
            int status = c.getResponseCode();
            String body = body(status < 400 ? c.getInputStream() : c.getErrorStream());
            String detail = "HTTP " + status + (body.isEmpty() ? "" : ": " + body);
            return status >= 200 && status < 400 ? CheckRun.pass(detail) : CheckRun.fail(detail);
        } catch (SocketTimeoutException e) {
            return CheckRun.fail("timed out after " + check.timeoutSeconds() + "s");
        } catch (ConnectException e) {
            return CheckRun.fail("connection refused on 127.0.0.1:" + g.port());
        } catch (IOException | RuntimeException e) {
            return CheckRun.fail("GET " + url + " failed: " + e.getMessage());
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static String body(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readNBytes(BODY_BYTES), StandardCharsets.UTF_8).strip();
        }
    }

    private static final SSLContext TRUST_ANY = trustAny();

    private static SSLContext trustAny() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                                // not used: the agent is the client
                            }

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                                // not verified, as for a kubelet's HTTPS probe
                            }

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this Java runtime: " + e.getMessage(), e);
        }
    }
}
