package io.redisha.report;

import io.redisha.sentinel.MergedEvents;

import java.util.LinkedHashMap;
import java.util.Map;

/** One merged Sentinel event per line, for people or as a JSON line. */
public final class EventsReport {
    private EventsReport() {
    }

    /** "2026-12-07T08:10:03.123Z +switch-master mymaster 10.0.0.2 6379 10.0.0.3 6379 (by shop-sentinel-1, shop-sentinel-2)". */
    public static String line(MergedEvents.Merged e) {
        return e.time() + " " + e.type() + " " + e.message() + " (by " + String.join(", ", e.witnesses()) + ")";
    }

    /** {"time": ..., "type": ..., "message": ..., "witnesses": [...]} on one line. */
    public static String jsonLine(MergedEvents.Merged e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", e.time().toString());
        fields.put("type", e.type());
        fields.put("message", e.message());
        fields.put("witnesses", e.witnesses());
        return Json.line(fields);
    }
}
