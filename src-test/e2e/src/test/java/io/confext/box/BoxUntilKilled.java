package io.confext.box;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A box that runs until its JVM is killed, for {@link BoxKilledTest}. Usage: {@code BoxUntilKilled <workDir> <host>...}. */
public final class BoxUntilKilled {

    private BoxUntilKilled() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> hosts = Arrays.asList(args).subList(1, args.length);
        Box.start(new BoxSettings(BoxSettings.defaultRepoRoot(), Path.of(args[0]), hosts, System.out));
        Thread.sleep(Long.MAX_VALUE);
    }
}
