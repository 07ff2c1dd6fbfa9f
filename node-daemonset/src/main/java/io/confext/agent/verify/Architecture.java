package io.confext.agent.verify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Architectures by their systemd names (as in {@code ARCHITECTURE=} and {@code uname -m} mapping)
 * with the root, root-verity and root-verity-sig partition type GUIDs of the UAPI Discoverable
 * Partitions Specification. Confexts use the root designators.
 */
public enum Architecture {
    X86(
            "x86",
            "44479540-f297-41b2-9af7-d131d5f0458a",
            "d13c5d3b-b5d1-422a-b29f-9454fdc89d76",
            "5996fc05-109c-48de-808b-23fa0830b676"),
    X86_64(
            "x86-64",
            "4f68bce3-e8cd-4db1-96e7-fbcaf984b709",
            "2c7357ed-ebd2-46d9-aec1-23d437ec2bf5",
            "41092b05-9fc8-4523-994f-2def0408b176"),
    ARM(
            "arm",
            "69dad710-2ce4-4e3c-b16c-21a1d49abed3",
            "7386cdf2-203c-47a9-a498-f2ecce45a2d6",
            "42b0455f-eb11-491d-98d3-56145ba9d037"),
    ARM64(
            "arm64",
            "b921b045-1df0-41c3-af44-4c6f280d3fae",
            "df3300ce-d69f-4c92-978c-9bfb0f38d820",
            "6db69de6-29f4-4758-a7a5-962190f00ce3"),
    IA64(
            "ia64",
            "993d8d3d-f80e-4225-855a-9daf8ed7ea97",
            "86ed10d5-b607-45bb-8957-d350f23d0571",
            "e98b36ee-32ba-4882-9b12-0ce14655f46a"),
    LOONGARCH64(
            "loongarch64",
            "77055800-792c-4f94-b39a-98c91b762bb6",
            "f3393b22-e9af-4613-a948-9d3bfbd0c535",
            "5afb67eb-ecc8-4f85-ae8e-ac1e7c50e7d0"),
    RISCV32(
            "riscv32",
            "60d5a7fe-8e7d-435c-b714-3dd8162144e1",
            "ae0253be-1167-4007-ac68-43926c14c5de",
            "3a112a75-8729-4380-b4cf-764d79934448"),
    RISCV64(
            "riscv64",
            "72ec70a6-cf74-40e6-bd49-4bda08e8f224",
            "b6ed5582-440b-4209-b8da-5ff7c419ea3d",
            "efe0f087-ea8d-4469-821a-4c2a96a8386a");

    private final String systemdName;
    private final UUID root;
    private final UUID rootVerity;
    private final UUID rootVeritySig;

    Architecture(String systemdName, String root, String rootVerity, String rootVeritySig) {
        this.systemdName = systemdName;
        this.root = UUID.fromString(root);
        this.rootVerity = UUID.fromString(rootVerity);
        this.rootVeritySig = UUID.fromString(rootVeritySig);
    }

    public String systemdName() {
        return systemdName;
    }

    public UUID root() {
        return root;
    }

    public UUID rootVerity() {
        return rootVerity;
    }

    public UUID rootVeritySig() {
        return rootVeritySig;
    }

    /** Accepts systemd names ({@code x86-64}, {@code arm64}) and kernel/JVM names ({@code x86_64}, {@code amd64}, {@code aarch64}). */
    public static Optional<Architecture> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "x86_64", "amd64" -> n = "x86-64";
            case "aarch64" -> n = "arm64";
            case "i386", "i486", "i586", "i686" -> n = "x86";
            case "arm", "armv7l", "armhf" -> n = "arm";
            default -> {}
        }
        String want = n;
        return Arrays.stream(values()).filter(a -> a.systemdName.equals(want)).findFirst();
    }

    /** The architecture this JVM runs on, which is the host's for the agent. */
    public static Architecture ofThisMachine() {
        String arch = System.getProperty("os.arch");
        return parse(arch).orElseThrow(() -> new IllegalStateException("unknown machine architecture " + arch));
    }

    public enum Role {
        ROOT,
        ROOT_VERITY,
        ROOT_VERITY_SIG
    }

    /** A partition type GUID that is one of the root designators, with its architecture and role. */
    public record RootType(Architecture architecture, Role role) {}

    public static Optional<RootType> classify(UUID type) {
        for (Architecture a : values()) {
            if (a.root.equals(type)) {
                return Optional.of(new RootType(a, Role.ROOT));
            }
            if (a.rootVerity.equals(type)) {
                return Optional.of(new RootType(a, Role.ROOT_VERITY));
            }
            if (a.rootVeritySig.equals(type)) {
                return Optional.of(new RootType(a, Role.ROOT_VERITY_SIG));
            }
        }
        return Optional.empty();
    }
}
