package io.redisha.it;

/** {@link SelfHealCases} with an append-only file: a killed master comes back with its data, often before any failover. */
class SelfHealAofIT extends SelfHealCases {
    @Override
    String persistence() {
        return "aof";
    }

    @Override
    boolean promotesAfterKill() {
        return false;
    }
}
