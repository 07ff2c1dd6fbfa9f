package io.confext.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The chart as it was before the working tree's CRDs: the newest commit whose {@code helm/confext-operator/crds/}
 * differs from the working tree, exported from git (the chart with its CRDs, as a user on that version has it).
 * Found by content, not by "HEAD~1", so the upgrade it starts always changes a CRD.
 *
 * @param commit the commit the chart was exported from
 * @param chart  the exported chart directory
 */
record PreviousChart(String commit, Path chart) {

    private static final String CRDS = "helm/confext-operator/crds";

    /** Empty when the repository has no git history (a source archive) or no earlier CRDs. */
    static Optional<PreviousChart> export(Path repo, Path into) throws IOException, InterruptedException {
        if (!Files.isDirectory(repo.resolve(".git")) && !Files.isRegularFile(repo.resolve(".git"))) {
            return Optional.empty();
        }
        for (String commit : git(repo, "log", "--format=%H", "--", CRDS).lines().toList()) {
            if (differsFromWorkingTree(repo, commit)) {
                Path archive = into.resolve("chart.tar");
                git(repo, "archive", "--format=tar", "-o", archive.toString(), commit, "helm/confext-operator");
                run(into, List.of("tar", "-xf", archive.toString()));
                return Optional.of(new PreviousChart(commit, into.resolve("helm/confext-operator")));
            }
        }
        return Optional.empty();
    }

    List<Path> crds() {
        return RepoFiles.yamlFiles(chart.resolve("crds"));
    }

    private static boolean differsFromWorkingTree(Path repo, String commit) throws IOException, InterruptedException {
        for (Path file : RepoFiles.yamlFiles(repo.resolve(CRDS))) {
            String then;
            try {
                then = git(repo, "show", commit + ":" + CRDS + "/" + file.getFileName());
            } catch (IOException notThere) {
                return true; // a CRD the commit did not have yet
            }
            if (!then.equals(Files.readString(file))) {
                return true;
            }
        }
        return false;
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        return run(repo, command);
    }

    static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
