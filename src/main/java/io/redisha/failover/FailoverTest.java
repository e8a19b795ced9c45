package io.redisha.failover;

import io.redisha.cluster.Cluster;
import io.redisha.failover.FailoverReport.Outcome;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.topology.Topology;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * redisha failover-test: breaks the current master, round after round, and reports what Sentinel,
 * the Redis servers and a writing client went through. A round that fails ends the test; the
 * deployment's state after it is not a fair start for another.
 */
public final class FailoverTest {

    private final Cluster cluster;
    private final FailoverOptions options;

    public FailoverTest(Cluster cluster, FailoverOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    public FailoverReport run() {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        List<Round> rounds = new ArrayList<>();
        for (int i = 1; i <= options.rounds(); i++) {
            Round round = new FailoverRound(cluster, options, i, runId).run();
            rounds.add(round);
            cluster.progress().step("round " + i + ": " + round.outcome()
                    + (round.reason() == null ? "" : " (" + round.reason() + ")"));
            if (round.outcome() != Outcome.PASS) {
                if (i < options.rounds()) {
                    cluster.progress().step("stopping after round " + i + " of " + options.rounds());
                }
                break;
            }
        }
        Topology t = cluster.topology();
        return new FailoverReport(t.project(), options.faultNames(), options.rounds(), options.writeRate(),
                options.maxLost(), options.timeout().toSeconds(), t.sentinels().downAfterMillis(),
                t.master().minReplicasToWrite(), t.master().minReplicasMaxLag(), startedAt, List.copyOf(rounds),
                FailoverReport.outcomeOf(rounds, options.rounds()),
                options.partitions() ? options.partitionLength(t.sentinels().downAfterMillis(),
                        t.sentinels().failoverTimeoutMillis()).toMillis() / 1000.0 : null,
                options.waitReplicas() == 0 ? null : options.waitReplicas());
    }
}
