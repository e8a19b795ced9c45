package io.redisha.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SelfHealCases} with an append-only file: a killed master comes back with its data, often before any failover. */
class SelfHealAofIT extends SelfHealCases {
    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-heal-aof", topology("aof")).up();

    @Override
    Deployment deployment() {
        return deployment;
    }

    @Override
    String persistence() {
        return "aof";
    }

    @Override
    boolean promotesAfterKill() {
        return false;
    }
}
