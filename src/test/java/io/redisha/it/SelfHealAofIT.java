package io.redisha.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

/** {@link SelfHealCases} with an append-only file: a killed master comes back with its data, often before any failover. */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
