package io.redisha.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SelfHealCases} without persistence: a killed master comes back empty and is held back until a replica is promoted. */
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
