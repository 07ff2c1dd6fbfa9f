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

    /**
     * The JDK's PBKDF2 iteration count for keys put into a PKCS12 key store (a system property overrides the security
     * property of that name).
     */
    static final String KEY_PBE_ITERATIONS = "keystore.pkcs12.keyPbeIterationCount";

    public static void main(String[] args) {
        oneKeyStoreRound();
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

    /**
     * fabric8 puts the kubeconfig's client key into an in-memory PKCS12 key store under a fixed password: the JDK
     * encrypts it with 10,000 PBKDF2 rounds and the key manager decrypts it with as many again, about a tenth of the
     * command's CPU on C1, protecting nothing (the store never leaves this process). One round; a count the user set
     * with -D stands. Only here, in a process of its own: in-process callers (the tests) keep their JVM's settings.
     */
    static void oneKeyStoreRound() {
        if (System.getProperty(KEY_PBE_ITERATIONS) == null) {
            System.setProperty(KEY_PBE_ITERATIONS, "1");
        }
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
