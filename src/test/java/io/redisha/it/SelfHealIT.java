package io.redisha.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

/** {@link SelfHealCases} without persistence: a killed master comes back empty and is held back until a replica is promoted. */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelfHealIT extends SelfHealCases {
    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-heal-off", topology("off")).up();

    @Override
    Deployment deployment() {
        return deployment;
    }

    @Override
    String persistence() {
        return "off";
    }

    @Override
    boolean promotesAfterKill() {
        return true;
    }
}
