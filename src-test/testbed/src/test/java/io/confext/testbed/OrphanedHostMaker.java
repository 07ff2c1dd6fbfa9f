package io.confext.testbed;

/**
 * Run in a separate JVM by {@link LeftoverSweepTest}: boots a host, prints its machine name and waits to be
 * SIGKILLed, which leaves the host behind exactly as a killed test run would.
 */
public final class OrphanedHostMaker {
    public static void main(String[] args) throws InterruptedException {
        SystemdHost host = SystemdHost.boot(HostImage.FORKY, "orphan");
        System.out.println("MACHINE " + host.machineName() + " " + host.leaderPid() + " "
                + host.record().dataDir());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
