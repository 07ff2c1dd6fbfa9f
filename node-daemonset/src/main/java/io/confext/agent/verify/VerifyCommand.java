package io.confext.agent.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The offline check users run in their image pipelines before publishing a bundle: the same
 * verification the node agent runs, without Quarkus, Kubernetes or a host.
 *
 * <pre>
 * confext-verify IMAGE [--sha256 HEX] [--trust CERT_DIR]... [--os-release FILE] [--arch ARCH]
 *                [--name NAME] [--scope system|portable] [--systemd-version N]
 *                [--require-signature | --no-require-signature] [--max-tree-bytes N]
 * </pre>
 *
 * Exit status: 0 accepted, 1 refused, 2 usage error. A signature is required when {@code --trust}
 * is given (override with the flags); without {@code --os-release} compatibility is not checked.
 */
public final class VerifyCommand {
    public static final int ACCEPTED = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: confext-verify IMAGE [--sha256 HEX] [--trust CERT_DIR]... [--os-release FILE] [--arch ARCH]
                                  [--name NAME] [--scope system|portable] [--systemd-version N]
                                  [--require-signature | --no-require-signature] [--max-tree-bytes N]
              IMAGE               a DDI (systemd-repart --make-ddi=confext) or a naked erofs image with .verity/.roothash/.roothash.p7s sidecars
              --sha256 HEX        the sha256 the bundle will pin; refused if the file differs
              --trust CERT_DIR    directory of PEM *.crt certificates a root hash signature may come from (repeatable)
              --os-release FILE   the target host's os-release; checks the image's extension-release against it
              --arch ARCH         target architecture (x86-64, arm64, ...); default: this machine's
              --systemd-version N target host's systemd version (ID_LIKE matching from 258); default 258
            exit status: 0 accepted, 1 refused, 2 usage error""";

    /** Parsed command line. */
    record Args(
            Path image,
            Optional<String> sha256,
            List<Path> trustDirs,
            Optional<Path> osRelease,
            Optional<String> arch,
            Optional<String> name,
            ExtensionReleaseMatcher.Scope scope,
            int systemdVersion,
            Optional<Boolean> requireSignature,
            long maxTreeBytes) {}

    static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        Policy policy;
        try {
            args = parse(argv);
            policy = policy(args);
        } catch (UsageException e) {
            err.println("confext-verify: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Verdict v = new ImageVerifier().verify(args.image(), policy);
        print(args.image(), v, out);
        return v.accepted() ? ACCEPTED : REFUSED;
    }

    static void print(Path image, Verdict v, PrintStream out) {
        out.println("verdict: " + (v.accepted() ? "ACCEPTED" : "REFUSED"));
        out.println("image: " + image);
        out.println("root hash: " + Optional.ofNullable(v.rootHash()).orElse("-"));
        out.println("signer sha256 fingerprint: "
                + Optional.ofNullable(v.signerFingerprint()).orElse("-"));
        out.println("extension name: " + v.extensionName());
        v.notes().forEach(n -> out.println("note: " + n));
        v.reasons().forEach(r -> out.println("reason: " + r.code() + ": " + r.message()));
    }

    static Args parse(String[] argv) throws UsageException {
        Path image = null;
        String sha = null;
        List<Path> trust = new ArrayList<>();
        Path osRelease = null;
        String arch = null;
        String name = null;
        ExtensionReleaseMatcher.Scope scope = ExtensionReleaseMatcher.Scope.SYSTEM;
        int systemd = ExtensionReleaseMatcher.ID_LIKE_SINCE;
        Boolean require = null;
        long maxTree = Policy.DEFAULT_MAX_TREE_BYTES;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--sha256" -> {
                    sha = value(argv, ++i, a);
                    if (!sha.matches("[0-9a-fA-F]{64}")) {
                        throw new UsageException("--sha256 wants 64 hex digits, got '" + sha + "'");
                    }
                }
                case "--trust" -> trust.add(Path.of(value(argv, ++i, a)));
                case "--os-release" -> osRelease = Path.of(value(argv, ++i, a));
                case "--arch" -> arch = value(argv, ++i, a);
                case "--name" -> name = value(argv, ++i, a);
                case "--scope" -> {
                    String s = value(argv, ++i, a);
                    scope = switch (s) {
                        case "system" -> ExtensionReleaseMatcher.Scope.SYSTEM;
                        case "portable" -> ExtensionReleaseMatcher.Scope.PORTABLE;
                        default -> throw new UsageException("--scope is system or portable, not '" + s + "'");
                    };
                }
                case "--systemd-version" -> systemd = number(value(argv, ++i, a), a);
                case "--max-tree-bytes" -> maxTree = number(value(argv, ++i, a), a);
                case "--require-signature" -> require = true;
                case "--no-require-signature" -> require = false;
                case "-h", "--help" -> throw new UsageException("help");
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (image != null) {
                        throw new UsageException("one IMAGE only (got " + image + " and " + a + ")");
                    }
                    image = Path.of(a);
                }
            }
        }
        if (image == null) {
            throw new UsageException("no IMAGE given");
        }
        if (!Files.isRegularFile(image)) {
            throw new UsageException(image + " is not a file");
        }
        return new Args(
                image,
                Optional.ofNullable(sha),
                trust,
                Optional.ofNullable(osRelease),
                Optional.ofNullable(arch),
                Optional.ofNullable(name),
                scope,
                systemd,
                Optional.ofNullable(require),
                maxTree);
    }

    static Policy policy(Args a) throws UsageException {
        Architecture arch = a.arch().isEmpty()
                ? Architecture.ofThisMachine()
                : Architecture.parse(a.arch().get())
                        .orElseThrow(() -> new UsageException("unknown architecture '"
                                + a.arch().get() + "' (x86-64, arm64, x86, arm, ia64, loongarch64, riscv32, riscv64)"));
        TrustedCertificates trusted;
        try {
            for (Path d : a.trustDirs()) {
                if (!Files.isDirectory(d)) {
                    throw new UsageException("--trust " + d + " is not a directory");
                }
            }
            trusted = TrustedCertificates.fromDirectories(a.trustDirs());
        } catch (IOException e) {
            throw new UsageException("cannot read the trusted certificates: " + e.getMessage());
        }
        if (!a.trustDirs().isEmpty() && trusted.isEmpty()) {
            throw new UsageException("no *.crt certificate in " + a.trustDirs());
        }
        Policy p = Policy.signedBy(trusted)
                .withArchitecture(arch)
                .withRequireSignature(a.requireSignature().orElse(!a.trustDirs().isEmpty()))
                .withMaxTreeBytes(a.maxTreeBytes())
                .withSha256(a.sha256().map(String::toLowerCase).orElse(null));
        if (a.name().isPresent()) {
            p = p.withExtensionName(a.name().get());
        }
        if (a.osRelease().isPresent()) {
            Map<String, String> os;
            try {
                os = ReleaseFile.parse(Files.readString(a.osRelease().get()));
            } catch (IOException e) {
                throw new UsageException(
                        "cannot read --os-release " + a.osRelease().get() + ": " + e.getMessage());
            }
            p = p.withHost(new HostRelease(os, arch.systemdName(), a.systemdVersion()), a.scope());
        }
        return p;
    }

    private static String value(String[] argv, int i, String flag) throws UsageException {
        if (i >= argv.length) {
            throw new UsageException(flag + " needs a value");
        }
        return argv[i];
    }

    private static int number(String s, String flag) throws UsageException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " wants a number, not '" + s + "'");
        }
    }
}
