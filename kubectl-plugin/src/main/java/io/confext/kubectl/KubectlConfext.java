package io.confext.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code kubectl confext}: the rollouts of ConfextBundles from the command line. kubectl runs the executable
 * {@code kubectl-confext} on the PATH for {@code kubectl confext ...}; the connection options are kubectl's own
 * ({@code --kubeconfig}, {@code --context}, {@code -n}), given before or after the command.
 */
@Command(
        name = "kubectl confext",
        mixinStandardHelpOptions = true,
        versionProvider = PluginVersion.class,
        description = "Rollouts of ConfextBundles (confext.io): status, history, diff, undo, pause, resume, nodes.",
        subcommands = {
            StatusCommand.class,
            HistoryCommand.class,
            DiffCommand.class,
            UndoCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            NodesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class KubectlConfext {

    @Option(
            names = "--kubeconfig",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    @Option(
            names = "--context",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            description = "The kubeconfig context to use (default: its current-context).")
    String context;

    @Option(
            names = {"-n", "--namespace"},
            scope = ScopeType.INHERIT,
            paramLabel = "NAMESPACE",
            description =
                    "The operator's namespace, where the bundles' ControllerRevisions are (default: the one the nodes'"
                            + " entries name, else the context's, else " + RevisionNamespace.INSTALL_DEFAULT + ").")
    String namespace;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line in-process (what {@link #main} and the tests call) and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new KubectlConfext());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + describe(e, line.getCommand()));
            line.getErr().flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    KubernetesClient connect() {
        Config config;
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new CommandFailure("--kubeconfig " + kubeconfig + ": no such file, or not readable");
            }
            config = Config.fromKubeconfig(context, kubeconfig.toFile());
        } else {
            config = Config.autoConfigure(context);
        }
        if (context != null
                && !context.equals(
                        config.getCurrentContext() == null
                                ? null
                                : config.getCurrentContext().getName())) {
            throw new CommandFailure("--context " + context + ": no such context in the kubeconfig");
        }
        // No retries: fabric8's default (10, with exponential backoff) suits a controller; a person at a prompt wants
        // kubectl's behaviour, an answer or an error at once.
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The message of a failure, for a person: never a class name or a stack trace. */
    private static String describe(Exception e, Object command) {
        if (e instanceof CommandFailure) {
            return e.getMessage();
        }
        if (e instanceof KubernetesClientException k) {
            if (k.getStatus() != null && k.getStatus().getMessage() != null) {
                return k.getStatus().getMessage();
            }
            return "the API server answered " + k.getCode() + ": " + rootMessage(k);
        }
        String m = rootMessage(e);
        return m == null || m.isBlank() ? "unexpected failure, no message" : m;
    }

    /**
     * Why a request got no answer, in words: the JDK's HTTP client throws a ConnectException without a message for a
     * refused connection, so the kind of failure is named here rather than the exception.
     */
    static String rootMessage(Throwable t) {
        String message = null;
        String kind = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                kind = "connection refused";
            } else if (c instanceof java.net.UnknownHostException) {
                kind = "unknown host";
            } else if (c instanceof java.net.http.HttpTimeoutException
                    || c instanceof java.net.SocketTimeoutException) {
                kind = "timed out";
            } else if (c instanceof javax.net.ssl.SSLException) {
                kind = "TLS handshake failed";
            }
            if (c != t && c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        if (kind != null) {
            return message == null ? kind : kind + " (" + message + ")";
        }
        return message != null ? message : t.getMessage();
    }
}
