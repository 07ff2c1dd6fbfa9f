package io.confext.agent.verify.bench;

import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.ImageVerifier;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.agent.verify.Verdict;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Child-JVM entry point of the in-agent benchmark: the hashing an agent does to stage one image, timed in CPU of the
 * whole JVM (every thread: the JIT compilers' too) from just before the first byte to the verdict. It reads the image
 * as the download does (64 KiB reads, each into the download's sha256, as {@code ImageFetcher} does while the bytes
 * arrive), then runs {@link ImageVerifier} with the policy the stager hands it: {@code pinned} re-checks the sha256
 * (the stager before issue #18), {@code fetched} leaves it to the download's digest (the stager now).
 * Args: IMAGE SHA256 TRUST_DIR pinned|fetched ROUNDS. Prints one line per round:
 * {@code round=N cpuMs=N wallMs=N hwmKiB=N rssKiB=N accepted=B}, then, {@code bench.settleMillis} later, {@code settled rssKiB=N}.
 */
public final class AgentVerifyCpuMain {
    private AgentVerifyCpuMain() {}

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        boolean pinned = args[3].equals("pinned");
        int rounds = Integer.parseInt(args[4]);
        Policy policy = Policy.signedBy(TrustedCertificates.fromDirectories(List.of(Path.of(args[2]))))
                .withArchitecture(Architecture.X86_64)
                .withMaxTreeBytes(1L << 30);
        if (pinned) {
            policy = policy.withSha256(args[1]);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ImageVerifier verifier = new ImageVerifier();
        for (int round = 0; round < rounds; round++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            String downloaded = downloadDigest(image);
            if (!downloaded.equals(args[1])) {
                throw new IllegalStateException("the download digest " + downloaded + " is not " + args[1]);
            }
            Verdict v = verifier.verify(image, policy);
            long cpu = (os.getProcessCpuTime() - c0) / 1_000_000;
            long wall = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("round=" + round + " cpuMs=" + cpu + " wallMs=" + wall + " hwmKiB=" + status("VmHWM:")
                    + " rssKiB=" + status("VmRSS:") + " accepted=" + v.accepted()
                    + (v.accepted() ? "" : " reasons=" + v.reasons()));
        }
        // What stays resident once the JVM's native-heap trimmer (the agent's TrimNativeHeapInterval) has run.
        Thread.sleep(Long.getLong("bench.settleMillis", 0));
        System.out.println("settled rssKiB=" + status("VmRSS:"));
    }

    /** What {@code ImageFetcher} computes while the image arrives: 64 KiB reads, each fed to the digest. */
    private static String downloadDigest(Path image) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(image)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String status(String key) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith(key))
                .map(l -> l.replaceAll("\\D", ""))
                .findFirst()
                .orElse("-1");
    }
}
