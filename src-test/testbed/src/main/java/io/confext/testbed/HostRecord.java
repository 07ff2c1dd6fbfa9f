package io.confext.testbed;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What a later run needs to tear down a host whose JVM died without cleaning up: who owns it, which
 * processes to stop, where its overlay lives. Written before anything is started, updated as processes appear.
 */
record HostRecord(
        String machine,
        ProcessIdentity owner,
        Path dataDir,
        Optional<ProcessIdentity> nspawn,
        Optional<ProcessIdentity> leader) {

    static final String SUFFIX = ".host";

    HostRecord withNspawn(ProcessIdentity p) {
        return new HostRecord(machine, owner, dataDir, Optional.of(p), leader);
    }

    /** Powered off for a reboot: the overlay stays, the processes are gone. */
    HostRecord withoutProcesses() {
        return new HostRecord(machine, owner, dataDir, Optional.empty(), Optional.empty());
    }

    HostRecord withLeader(ProcessIdentity p) {
        return new HostRecord(machine, owner, dataDir, nspawn, Optional.of(p));
    }

    /** The host's root directory on the outer machine (see {@link HostTree}). */
    Path root() {
        return dataDir.resolve(HostTree.ROOT);
    }

    static Path fileFor(Path stateDir, String machine) {
        return stateDir.resolve(machine + SUFFIX);
    }

    /** Atomic replace, so a reader never sees half a record. */
    void save(Path stateDir) {
        Properties p = new Properties();
        p.setProperty("machine", machine);
        p.setProperty("owner", owner.toString());
        p.setProperty("dataDir", dataDir.toString());
        nspawn.ifPresent(n -> p.setProperty("nspawn", n.toString()));
        leader.ifPresent(l -> p.setProperty("leader", l.toString()));
        try {
            Files.createDirectories(stateDir);
            StringWriter w = new StringWriter();
            p.store(w, "confext test bed host");
            Path tmp = stateDir.resolve("." + machine + ".tmp");
            Files.writeString(tmp, w.toString());
            Files.move(
                    tmp,
                    fileFor(stateDir, machine),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the host record under " + stateDir, e);
        }
    }

    static HostRecord load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new HostRecord(
                p.getProperty("machine"),
                ProcessIdentity.parse(p.getProperty("owner")),
                Path.of(p.getProperty("dataDir")),
                Optional.ofNullable(p.getProperty("nspawn")).map(ProcessIdentity::parse),
                Optional.ofNullable(p.getProperty("leader")).map(ProcessIdentity::parse));
    }

    void delete(Path stateDir) {
        try {
            Files.deleteIfExists(fileFor(stateDir, machine));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
