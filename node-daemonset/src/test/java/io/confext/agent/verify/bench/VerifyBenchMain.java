package io.confext.agent.verify.bench;

import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.ImageVerifier;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.agent.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Child-JVM entry point of the benchmark: verifies one image (sha256 + dm-verity + signature +
 * content) and prints {@code millis=N hwmKiB=N accepted=B}, VmHWM being the process's peak RSS.
 * Args: IMAGE SHA256 TRUST_DIR.
 */
public final class VerifyBenchMain {
    private VerifyBenchMain() {}

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        Policy policy = Policy.signedBy(TrustedCertificates.fromDirectories(List.of(Path.of(args[2]))))
                .withSha256(args[1])
                .withArchitecture(Architecture.X86_64)
                .withMaxTreeBytes(1L << 30);
        long t0 = System.nanoTime();
        Verdict v = new ImageVerifier().verify(image, policy);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.replaceAll("\\D", ""))
                .findFirst()
                .orElse("-1");
        System.out.println("millis=" + ms + " hwmKiB=" + hwm + " accepted=" + v.accepted() + " reasons=" + v.reasons());
    }
}
