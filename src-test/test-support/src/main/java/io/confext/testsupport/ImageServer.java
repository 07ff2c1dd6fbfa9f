package io.confext.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A local (127.0.0.1 only) HTTP(S) server serving files with misbehaviours chosen by path prefix:
 * {@code /ok/} (with Range support), {@code /missing/} (404), {@code /truncate/} (always stops
 * halfway), {@code /drop-once/} (stops halfway the first time, then serves ranges), {@code /stall/}
 * (stops sending for a while), {@code /flaky/} (503 twice, then serves), {@code /huge/} (declares a
 * large length). Records the Range header of every request. Plain HTTP when given no TLS context.
 */
public final class ImageServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    public final List<String> ranges = new CopyOnWriteArrayList<>();
    private final long stallMillis;

    public ImageServer(SSLContext tls, long stallMillis) throws IOException {
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer s = HttpsServer.create(addr, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = s;
        } else {
            server = HttpServer.create(addr, 0);
        }
        this.stallMillis = stallMillis;
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public void put(String name, byte[] content) {
        files.put(name, content);
    }

    /** Serves the bytes {@code file} has now at {@code /ok/<name>}, as an artifact store would; returns that URL. */
    public String serve(String name, Path file) {
        try {
            put(name, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image to serve, " + file, e);
        }
        return uri("/ok/" + name).toString();
    }

    /** How many times {@link #serve(String, Path) served} {@code name} was asked for. */
    public int downloads(String name) {
        return hits(uri("/ok/" + name).toString());
    }

    /** How many requests reached the path of this URL (any mode, any answer). */
    public int hits(String url) {
        AtomicInteger n = hits.get(URI.create(url).getPath());
        return n == null ? 0 : n.get();
    }

    public URI uri(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().split("/", 3);
            String mode = parts.length > 1 ? parts[1] : "";
            byte[] body = parts.length > 2 ? files.get(parts[2]) : null;
            int hit = hits.computeIfAbsent(ex.getRequestURI().getPath(), k -> new AtomicInteger())
                    .incrementAndGet();
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            if (body == null || mode.equals("missing")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            switch (mode) {
                case "flaky" -> {
                    if (hit <= 2) {
                        ex.sendResponseHeaders(503, -1);
                        return;
                    }
                    serve(ex, body, range);
                }
                case "huge" -> {
                    ex.sendResponseHeaders(200, 1L << 40);
                    ex.getResponseBody().write(body);
                }
                case "truncate" -> {
                    ex.getResponseHeaders().set("Accept-Ranges", "none");
                    ex.sendResponseHeaders(200, body.length);
                    writeThenDrop(ex, body, body.length / 2);
                }
                case "drop-once" -> {
                    if (hit == 1) {
                        ex.getResponseHeaders().set("ETag", "\"v1\"");
                        ex.sendResponseHeaders(200, body.length);
                        writeThenDrop(ex, body, body.length / 2);
                    } else {
                        serve(ex, body, range);
                    }
                }
                case "stall" -> {
                    ex.sendResponseHeaders(200, body.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(body, 0, 1000);
                    out.flush();
                    sleep(stallMillis);
                    out.write(body, 1000, body.length - 1000);
                }
                default -> serve(ex, body, range);
            }
        } catch (IOException e) {
            // The client went away (stall, drop): expected in these tests.
        }
    }

    private static void serve(HttpExchange ex, byte[] body, String range) throws IOException {
        ex.getResponseHeaders().set("ETag", "\"v1\"");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            int from = Integer.parseInt(m.group(1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
            ex.getResponseBody().write(body, from, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** Sends part of a fixed-length body, then closes the connection under the client. */
    private static void writeThenDrop(HttpExchange ex, byte[] body, int n) throws IOException {
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, n);
        out.flush();
        // Closing the exchange with bytes missing makes the JDK server drop the connection.
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
