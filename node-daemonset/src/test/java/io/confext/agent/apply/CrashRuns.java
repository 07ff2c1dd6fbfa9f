package io.confext.agent.apply;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.confext.api.v1alpha1.BundleState;

/**
 * The two halves of the crash tests: a driver (the agent's host side in a child JVM) that stops at a step and
 * waits, and the test side that starts it and SIGKILLs it there or after a delay.
 */
final class CrashRuns {
    private CrashRuns() {
    }

    /** Driver side: at {@code stopAt} print "AT step" and wait to be killed ("-" = never stop). */
    static StepObserver pauseAt(String stopAt) {
        return (bundle, step) -> {
            if (step.equals(stopAt)) {
                System.out.println("AT " + step);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** Driver side: print "DONE phase activeVersion message" for the one bundle converged, and exit. */
    static void reportDoneAndExit(List<BundleState> states) {
        BundleState s = states.get(0);
        System.out.println("DONE " + s.getPhase() + " " + s.getActiveVersion() + " " + s.getMessage());
        System.out.flush();
        System.exit(0);
    }

    /**
     * Test side: runs {@code driver} with {@code args} in a child JVM on this classpath; SIGKILLs it on "AT ..." (returns
     * that line) or after {@code killAfterMillis} (> 0, returns "KILLED"); else returns its "DONE ..." line.
     */
    static String run(Class<?> driver, int killAfterMillis, List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), driver.getName()));
        argv.addAll(args);
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (killAfterMillis > 0) {
            if (!p.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL
            }
            p.waitFor();
            return "KILLED";
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("AT ")) {
                    p.destroyForcibly(); // SIGKILL exactly at the step boundary
                    p.waitFor();
                    return line;
                }
                if (line.startsWith("DONE ")) {
                    p.waitFor(30, TimeUnit.SECONDS);
                    return line;
                }
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        return "EXIT " + p.exitValue();
    }
}
