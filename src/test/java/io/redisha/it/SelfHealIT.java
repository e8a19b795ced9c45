package io.redisha.it;

/** {@link SelfHealCases} without persistence: a killed master comes back empty and is held back until a replica is promoted. */
class SelfHealIT extends SelfHealCases {
    @Override
    String persistence() {
        return "off";
    }

    @Override
    boolean promotesAfterKill() {
        return true;
    }
}
