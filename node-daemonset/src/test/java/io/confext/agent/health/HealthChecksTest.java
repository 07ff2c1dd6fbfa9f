package io.confext.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.AgentConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StepClock clock = new StepClock();
    private final AgentHealth health = new AgentHealth(clock);

    private static AgentConfig config(Duration livenessTimeout) {
        return new AgentConfig() {
            public String nodeName() {
                return "n";
            }

            public String stateDir() {
                return "/var/lib/confext-operator";
            }

            public int hostPid() {
                return 1;
            }

            public String eventsNamespace() {
                return "default";
            }

            @Override
            public Duration resyncPeriod() {
                return Duration.ofMinutes(5);
            }

            public Duration unitWatchPeriod() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration retryInitialDelay() {
                return Duration.ofSeconds(1);
            }

            public Duration heartbeatInterval() {
                return Duration.ofSeconds(30);
            }

            public Duration livenessTimeout() {
                return livenessTimeout;
            }

            public Duration jobTimeout() {
                return Duration.ofSeconds(90);
            }

            public Duration proofTimeout() {
                return Duration.ofSeconds(15);
            }

            public Duration lockWait() {
                return Duration.ofSeconds(60);
            }

            public boolean requireSignedImages() {
                return false;
            }

            public String nodePolicyFile() {
                return "/etc/confext-operator/policy.yaml";
            }

            public long diskMinFreeBytes() {
                return 134217728L;
            }

            public long diskMaxVersionsBytes() {
                return 4294967296L;
            }
        };
    }

    @Test
    void livenessGoesDownWhenTheHeartbeatIsStale() {
        WorkLoopLiveness liveness = new WorkLoopLiveness(health, config(Duration.ofMinutes(10)));
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThat(liveness.call().getStatus()).isEqualTo(Status.UP);
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(liveness.call().getStatus()).isEqualTo(Status.DOWN);
        health.beat();
        assertThat(liveness.call().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void readinessNeedsBothTheApiWatchAndHostSystemd() {
        AgentReadiness readiness = new AgentReadiness(health);
        assertThat(readiness.call().getStatus()).isEqualTo(Status.DOWN); // nothing checked yet
        health.apiConnection(() -> true);
        assertThat(readiness.call().getStatus()).isEqualTo(Status.DOWN);
        health.hostChecked(true, "systemd 262");
        assertThat(readiness.call().getStatus()).isEqualTo(Status.UP);
        health.apiConnection(() -> false);
        assertThat(readiness.call().getStatus()).isEqualTo(Status.DOWN);
        health.apiConnection(() -> true);
        health.hostChecked(false, "connection refused");
        assertThat(readiness.call().getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.call().getData())
                .get()
                .satisfies(d -> assertThat(d.get("hostDetail")).isEqualTo("connection refused"));
    }
}
