package io.redisha.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One merged Sentinel event per line, for people or as a JSON line. */
public final class EventsReport {
    private EventsReport() {
    }

    /** "2026-12-07T08:10:03.123Z +switch-master mymaster 10.0.0.2 6379 10.0.0.3 6379 (by shop-sentinel-1, shop-sentinel-2)". */
    public static String line(Instant time, String type, String message, List<String> witnesses) {
        return time + " " + type + " " + message + " (by " + String.join(", ", witnesses) + ")";
    }

    /** {"time": ..., "type": ..., "message": ..., "witnesses": [...]} on one line. */
    public static String jsonLine(Instant time, String type, String message, List<String> witnesses) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", time.toString());
        fields.put("type", type);
        fields.put("message", message);
        fields.put("witnesses", witnesses);
        return Json.line(fields);
    }
}
