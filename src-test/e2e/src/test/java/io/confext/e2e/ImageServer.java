package io.confext.e2e;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An HTTPS server on 127.0.0.1 serving image files, as an artifact store would; counts the downloads. */
final class ImageServer implements AutoCloseable {

    private final HttpsServer server;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();

    private ImageServer(HttpsServer server) {
        this.server = server;
    }

    static ImageServer start(TestTls tls) throws Exception {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        ImageServer images = new ImageServer(s);
        s.createContext("/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().replaceFirst("^/", "");
                Path file = images.files.get(name);
                if (file == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                images.downloads.merge(name, 1, Integer::sum);
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            } catch (IOException e) {
                // the client went away
            }
        });
        s.start();
        return images;
    }

    /** Serves {@code file} at {@code https://127.0.0.1:<port>/<name>}; returns that URL. */
    String serve(String name, Path file) {
        files.put(name, file);
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    int downloads(String name) {
        return downloads.getOrDefault(name, 0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
