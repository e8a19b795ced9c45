package io.redisha.sentinel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The parts of {@code INFO replication} that redisha uses. */
public record ReplicationInfo(String role, String masterHost, Integer masterPort, String masterLinkStatus,
                              long offset, List<Peer> replicas) {

    /** A replica as its master lists it ({@code slaveN:ip=...,port=...,state=...,offset=...,lag=...}). */
    public record Peer(String ip, int port, String state, long offset, long lag) {
    }

    public boolean isMaster() {
        return "master".equals(role);
    }

    public boolean linkUp() {
        return "up".equals(masterLinkStatus);
    }

    public static ReplicationInfo parse(String info) {
        Map<String, String> fields = new HashMap<>();
        List<Peer> peers = new ArrayList<>();
        for (String raw : info.split("\r?\n")) {
            String line = raw.strip();
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (key.matches("slave\\d+")) {
                peers.add(parsePeer(value));
            } else {
                fields.put(key, value);
            }
        }
        String role = fields.getOrDefault("role", "unknown");
        if ("slave".equals(role)) {
            role = "replica";
        }
        long offset = parseLong(fields.getOrDefault("master_repl_offset", fields.get("slave_repl_offset")));
        return new ReplicationInfo(role, fields.get("master_host"),
                fields.containsKey("master_port") ? (int) parseLong(fields.get("master_port")) : null,
                fields.get("master_link_status"), offset, List.copyOf(peers));
    }

    private static Peer parsePeer(String value) {
        Map<String, String> kv = new HashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return new Peer(kv.get("ip"), (int) parseLong(kv.get("port")), kv.get("state"),
                parseLong(kv.get("offset")), parseLong(kv.get("lag")));
    }

    private static long parseLong(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
