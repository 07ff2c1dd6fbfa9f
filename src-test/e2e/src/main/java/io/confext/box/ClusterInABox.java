package io.confext.box;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.testbed.DemoSeen;
import io.confext.testbed.DemoService;
import io.confext.testbed.K8sBinaries;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The README's main command ({@code scripts/cluster-in-a-box}): starts a {@link Box}, applies the sample bundle,
 * shows the rollout live, prints how to look around with kubectl, and stays up until Ctrl-C (then cleans up).
 * With {@code --exit-after-rollout} it exits 0 once the sample is rolled out, 1 on failure, 2 on bad arguments.
 */
public final class ClusterInABox {

    public static final List<String> HOSTS = List.of("node-a", "node-b", "node-c");

    private ClusterInABox() {}

    public static void main(String[] argv) {
        BoxArguments args;
        try {
            args = BoxArguments.parse(Arrays.asList(argv));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(
                args,
                System.out,
                BoxSettings.defaultRepoRoot(),
                Path.of(System.getProperty("user.home"), ".cache", "confext-operator", "box")));
    }

    /** The whole run; returns the exit code. With {@code exitAfterRollout} false it returns only on a signal. */
    public static int run(BoxArguments args, PrintStream out, Path repoRoot, Path workDir) {
        Optional<String> whyNoNodes =
                args.mode() == BoxMode.PROCESSES ? Optional.empty() : NodesBox.cannotRun(repoRoot);
        BoxMode mode = args.mode().resolve(whyNoNodes);
        if (mode == BoxMode.NODES && whyNoNodes.isPresent()) {
            out.println("[box] --mode=nodes cannot run here: " + whyNoNodes.get());
            return 1;
        }
        if (mode == BoxMode.NODES) {
            out.println(
                    "[box] mode: real nodes (as it ships: images, kubelets, helm install; --mode=processes for plain JVMs)");
            return runOnNodes(args, out, repoRoot);
        }
        out.println(
                "[box] mode: processes (the operator and one agent per host as plain JVMs with the admin kubeconfig)"
                        + whyNoNodes
                                .map(w -> ", because real nodes cannot run here: " + w)
                                .orElse(", as asked (--mode=processes)"));
        return runProcesses(args, out, repoRoot, workDir);
    }

    /** The nodes this box makes in the real-nodes mode. */
    public static final int NODE_COUNT = 3;

    static int runOnNodes(BoxArguments args, PrintStream out, Path repoRoot) {
        return BoxRun.run(args, out, "nodes, control plane, network", run -> {
            NodesBox box = run.closeAtEnd(NodesBox.start(repoRoot, NODE_COUNT, out));
            LiveView view = run.closeAtEnd(LiveView.start(box.client(), out));
            ConfextBundle sample = DemoBundles.sample();
            String name = sample.getMetadata().getName();
            String version = sample.getSpec().getVersion();
            Instant applied = Instant.now();
            box.kubectlApply(DemoBundles.yaml());
            out.println("[box] kubectl apply -f " + DemoBundles.RESOURCE.substring(1)
                    + " (src-test/e2e): ConfextBundle " + name + " version " + version);
            boolean ok = awaitRolloutOnNodes(box, view, name, version, args.timeout(), out);
            if (ok) {
                out.println("[box] kubectl apply to proven on every node: "
                        + Duration.between(applied, Instant.now()).toSeconds() + " s");
                for (var n : box.nodes()) {
                    DemoSeen seen = DemoService.seen(n.host(), BoxSettings.DEMO_UNIT);
                    out.println("[box] " + n.name() + ": " + BoxSettings.DEMO_UNIT + " (pid " + seen.pid() + ") reads "
                            + seen.config().orElse("(no config)").strip());
                }
            }
            String kubectl = K8sBinaries.find().kubectl().toString();
            String kc = box.kubeconfig().toString();
            out.println("[box] kubeconfig: " + kc
                    + " (admin; the operator and agents use their pods' ServiceAccount tokens)");
            out.println("[box] control-plane logs: " + box.cluster().logs());
            out.println("[box] look around with kubectl:");
            out.println("    " + kubectl + " --kubeconfig " + kc + " get nodes -o wide");
            out.println("    " + kubectl + " --kubeconfig " + kc + " get pods -n " + NodesBox.NAMESPACE + " -o wide");
            out.println("    " + kubectl + " --kubeconfig " + kc + " get cxb");
            out.println("    " + kubectl + " --kubeconfig " + kc + " describe cxb demo");
            out.println("    " + kubectl + " --kubeconfig " + kc + " get cxn -o wide");
            out.println("    " + kubectl + " --kubeconfig " + kc + " logs -n " + NodesBox.NAMESPACE + " ds/"
                    + NodesBox.AGENT_DAEMONSET);
            out.println("    " + kubectl + " --kubeconfig " + kc + " exec -n " + NodesBox.NAMESPACE + " ds/"
                    + NodesBox.AGENT_DAEMONSET + " -- nsenter -t 1 -m -- systemctl status demo.service");
            return ok ? 0 : 1;
        });
    }

    private static boolean awaitRolloutOnNodes(
            NodesBox box, LiveView view, String name, String version, Duration timeout, PrintStream out) {
        Instant deadline = Instant.now().plus(timeout);
        int nodes = box.nodes().size();
        while (Instant.now().isBefore(deadline)) {
            ConfextBundle b =
                    box.client().resources(ConfextBundle.class).withName(name).get();
            if (RolloutOutcome.complete(b, version, nodes)
                    || RolloutOutcome.degraded(b).isPresent()) {
                view.catchUp();
            }
            if (RolloutOutcome.complete(b, version, nodes)) {
                out.println("[box] ROLLED OUT: " + name + " " + version + " is active and proven on all " + nodes
                        + " nodes");
                return true;
            }
            var degraded = RolloutOutcome.degraded(b);
            if (degraded.isPresent()) {
                out.println("[box] ROLLOUT FAILED: " + name + " is Degraded: " + degraded.get());
                return false;
            }
            Box.sleep(500);
        }
        out.println("[box] ROLLOUT TIMED OUT after " + timeout.toSeconds() + " s\n" + box.diagnostics());
        return false;
    }

    static int runProcesses(BoxArguments args, PrintStream out, Path repoRoot, Path workDir) {
        BoxSettings settings = new BoxSettings(repoRoot, workDir, HOSTS, out, args.apiServer());
        return BoxRun.run(args, out, "agents, operator, hosts, API server", run -> {
            Box box = run.closeAtEnd(Box.start(settings));
            LiveView view = run.closeAtEnd(LiveView.start(box.client(), out));
            ConfextBundle sample = DemoBundles.sample();
            String version = sample.getSpec().getVersion();
            box.apply(sample);
            out.println("[box] applied ConfextBundle " + sample.getMetadata().getName() + " version " + version + " ("
                    + DemoBundles.RESOURCE.substring(1) + " in src-test/e2e)");
            boolean ok = awaitRollout(box, view, sample.getMetadata().getName(), version, args.timeout(), out);
            if (ok) {
                for (BoxHost h : box.hosts()) {
                    DemoSeen seen = DemoService.seen(h.host(), BoxSettings.DEMO_UNIT);
                    out.println("[box] " + h.name() + ": " + BoxSettings.DEMO_UNIT + " (pid " + seen.pid() + ") reads "
                            + seen.config().orElse("(no config)").strip());
                }
            }
            printHowToLookAround(box, out);
            return ok ? 0 : 1;
        });
    }

    private static boolean awaitRollout(
            Box box, LiveView view, String name, String version, Duration timeout, PrintStream out) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            ConfextBundle b =
                    box.client().resources(ConfextBundle.class).withName(name).get();
            if (RolloutOutcome.complete(b, version, box.hosts().size())
                    || RolloutOutcome.degraded(b).isPresent()) {
                view.catchUp(); // the last node's line before the verdict
            }
            if (RolloutOutcome.complete(b, version, box.hosts().size())) {
                out.println("[box] ROLLED OUT: " + name + " " + version + " is active and proven on all "
                        + box.hosts().size() + " hosts");
                return true;
            }
            var degraded = RolloutOutcome.degraded(b);
            if (degraded.isPresent()) {
                out.println("[box] ROLLOUT FAILED: " + name + " is Degraded: " + degraded.get());
                return false;
            }
            if (!box.operator().isAlive()) {
                out.println("[box] ROLLOUT FAILED: the operator exited; "
                        + box.operator().log() + ":\n" + box.operator().logTail(30));
                return false;
            }
            Box.sleep(500);
        }
        out.println("[box] ROLLOUT TIMED OUT after " + timeout.toSeconds() + " s; logs under "
                + box.settings().workDir().resolve("logs"));
        return false;
    }

    private static void printHowToLookAround(Box box, PrintStream out) {
        Path kc = box.settings().kubeconfig();
        out.println("[box] kubeconfig: " + kc);
        out.println("[box] logs: " + box.settings().workDir().resolve("logs"));
        if (box.api().realApiServer()) {
            String kubectl = K8sBinaries.find().available()
                    ? K8sBinaries.find().kubectl().toString()
                    : "kubectl";
            out.println("[box] look around with kubectl:");
            out.println("    " + kubectl + " --kubeconfig " + kc + " get cxb");
            out.println("    " + kubectl + " --kubeconfig " + kc + " describe cxb demo");
            out.println("    " + kubectl + " --kubeconfig " + kc + " get cxn -o wide");
            out.println(
                    "    " + kubectl + " --kubeconfig " + kc + " get controllerrevisions -n " + BoxSettings.NAMESPACE);
        } else {
            out.println(
                    "[box] this box runs fabric8's mock API server: kubectl does not work against it (too little of the API); "
                            + (box.settings().apiServer() == ApiServerMode.MOCK
                                    ? "run the box without --api-server=mock"
                                    : "build the real kube-apiserver with scripts/build-k8s-binaries and run the box again")
                            + " for the real one");
        }
        out.println("[box] on the hosts: nsenter -t <leader pid> -a cat /run/confext-demo/demo.service.seen");
    }
}
