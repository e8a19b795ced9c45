package io.redisha.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Fields of an INFO reply. */
final class Info {
    private Info() {
    }

    /** "key:value" lines as a map; headings and blank lines left out. */
    static Map<String, String> fields(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** The keys of each database of INFO keyspace ("db0:keys=1000,expires=0,avg_ttl=0"), by database. */
    static Map<String, Long> keysPerDb(String keyspace) {
        Map<String, Long> keys = new TreeMap<>();
        fields(keyspace).forEach((db, value) -> {
            if (db.matches("db\\d+")) {
                for (String part : value.split(",")) {
                    if (part.startsWith("keys=")) {
                        keys.put(db, Long.parseLong(part.substring(5)));
                    }
                }
            }
        });
        return keys;
    }

    static long total(Map<String, Long> keysPerDb) {
        return keysPerDb.values().stream().mapToLong(Long::longValue).sum();
    }
}
