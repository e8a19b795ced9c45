package io.redisha.sentinel;

/**
 * One event a Sentinel published on its own pub/sub channel (the channel is the event type,
 * e.g. {@code +sdown}), with the monotonic time redisha received it.
 *
 * <p>Sentinel formats most messages as {@code <instance-type> <name> <ip> <port>}, followed for
 * replicas and Sentinels by {@code @ <master-name> <master-ip> <master-port>}; {@code +switch-master}
 * is {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>}. The accessors read those
 * fields and return null where a message has none.
 *
 * @param sentinel container name of the Sentinel that published it
 * @param nanos    {@link System#nanoTime()} at receipt
 */
public record SentinelEvent(String sentinel, String type, String message, long nanos) {
    public static final String SWITCH_MASTER = "+switch-master";

    /** Only events are kept: Sentinel's event channels start with + or -. */
    public static boolean isEventChannel(String channel) {
        return channel != null && (channel.startsWith("+") || channel.startsWith("-"));
    }

    private String[] fields() {
        return message == null ? new String[0] : message.split(" ", -1);
    }

    /** master, slave or sentinel; null for events without an instance (e.g. +new-epoch, +switch-master). */
    public String instanceType() {
        String[] f = fields();
        if (f.length >= 4 && (f[0].equals("master") || f[0].equals("slave") || f[0].equals("sentinel"))) {
            return f[0];
        }
        return null;
    }

    /** "ip:port" of the instance the event is about. */
    public String instanceAddress() {
        if (isSwitchMaster()) {
            return masterAddress();
        }
        String[] f = fields();
        return instanceType() == null ? null : f[2] + ":" + f[3];
    }

    /** The name Sentinel monitors the master under. */
    public String masterName() {
        String[] f = fields();
        if (isSwitchMaster()) {
            return f.length >= 5 ? f[0] : null;
        }
        String type = instanceType();
        if (type == null) {
            return null;
        }
        if (type.equals("master")) {
            return f[1];
        }
        int at = indexOfAt(f);
        return at >= 0 && f.length > at + 1 ? f[at + 1] : null;
    }

    /** "ip:port" of the master the event concerns (the old master for +switch-master). */
    public String masterAddress() {
        String[] f = fields();
        if (isSwitchMaster()) {
            return f.length >= 5 ? f[1] + ":" + f[2] : null;
        }
        String type = instanceType();
        if (type == null) {
            return null;
        }
        if (type.equals("master")) {
            return f[2] + ":" + f[3];
        }
        int at = indexOfAt(f);
        return at >= 0 && f.length > at + 3 ? f[at + 2] + ":" + f[at + 3] : null;
    }

    /** For +switch-master: "ip:port" of the new master; null otherwise. */
    public String newMasterAddress() {
        String[] f = fields();
        return isSwitchMaster() && f.length >= 5 ? f[3] + ":" + f[4] : null;
    }

    public boolean isSwitchMaster() {
        return SWITCH_MASTER.equals(type);
    }

    /** Whether the event is about the given master, by its monitored name and address. */
    public boolean concernsMaster(String name, String address) {
        return name.equals(masterName()) && address.equals(masterAddress());
    }

    /** Whether it is an event of this type about the master itself (not one of its replicas or Sentinels). */
    public boolean isMasterEvent(String eventType, String name, String address) {
        return eventType.equals(type) && "master".equals(instanceType()) && concernsMaster(name, address);
    }

    private static int indexOfAt(String[] f) {
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("@")) {
                return i;
            }
        }
        return -1;
    }
}
