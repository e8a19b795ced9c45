package io.redisha.report;

import io.redisha.failover.FailoverReport;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Event;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.failover.FailoverReport.Sample;
import io.redisha.failover.FailoverReport.Writes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A self-contained HTML page of a {@link FailoverReport}: no scripts, no fonts, no external
 * resources. Each round has an inline SVG timeline (seconds from the fault; the phases as markers;
 * each write as a tick in its outcome's lane) and the tables of the text report. Every piece of
 * text from the report is escaped.
 */
public final class FailoverHtml {
    private static final int WIDTH = 1000;
    private static final int RIGHT = 24;
    private static final int ROW_HEIGHT = 14;
    private static final int MAX_LABEL_ROWS = 10;
    /**
     * Width of a character of the chart's 11 px text, on the wide side: DejaVu Sans, the widest common
     * system font, averages 5.6-6.0 px over these labels and 7 px for digits, so 0.6 em keeps the
     * estimate above what a browser draws.
     */
    private static final double CHAR_WIDTH = 6.6;
    /** Between a lane's label and the chart, and from the label to the left edge. */
    private static final int LABEL_GAP = 6;
    private static final int LANE_HEIGHT = 16;
    private static final int LANE_GAP = 6;
    private static final double[] TICK_STEPS = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300};
    private static final Map<String, String> OUTCOME_COLORS = Map.of(
            "ACK", "#2e7d32", "UNKNOWN", "#ef8f00", "UNCONFIRMED", "#8d6e63", "FAILED", "#c62828");
    private static final List<String> LANES = List.of("ACK", "UNKNOWN", "FAILED");
    private static final Map<String, String> LANE_LABELS = Map.of(
            "ACK", "acknowledged", "UNKNOWN", "no reply", "FAILED", "failed");
    /** The middle lane's label when WAIT ran: writes WAIT did not confirm share it. */
    private static final String UNKNOWN_OR_UNCONFIRMED = "no reply/unconfirmed";

    private FailoverHtml() {
    }

    public static String render(FailoverReport report) {
        StringBuilder out = new StringBuilder();
        String result = FailoverReports.result(report);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>redisha failover-test: ").append(esc(report.project())).append(" - ").append(esc(result))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        out.append("<h1>redisha failover-test <span class=\"").append(report.passed() ? "PASS" : "FAIL").append(" badge\">")
                .append(esc(result)).append("</span></h1>\n");
        out.append("<p class=\"meta\">project <b>").append(esc(report.project())).append("</b> &middot; fault <b>")
                .append(esc(report.fault())).append("</b> &middot; ").append(report.rounds().size()).append(" of ")
                .append(report.roundsRequested()).append(" rounds run &middot; writes ")
                .append(report.writeRate() == 0 ? "off" : report.writeRate() + "/s")
                .append(report.maxLost() == null ? "" : " (max lost " + report.maxLost() + ")")
                .append(" &middot; timeout ").append(report.timeoutSeconds()).append(" s per round &middot; ")
                .append("down-after-milliseconds <b>").append(report.downAfterMilliseconds())
                .append("</b> (no failover can be faster) &middot; min-replicas-to-write ")
                .append(report.minReplicasToWrite()).append(" (max lag ").append(report.minReplicasMaxLag())
                .append(" s) &middot; started ").append(esc(report.startedAt())).append("</p>\n");
        if (report.rounds().size() > 1) {
            summary(out, report);
        }
        for (Round round : report.rounds()) {
            round(out, round);
        }
        out.append("<p class=\"meta\">Acknowledged writes can be lost in a failover: Redis replicates asynchronously, "
                + "so a write the old master acknowledged but had not yet sent to the promoted replica is gone. "
                + "<code>master.min-replicas-to-write</code> in the topology narrows that window.</p>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void round(StringBuilder out, Round round) {
        out.append("<section>\n<h2>Round ").append(round.round()).append(": ").append(esc(round.oldMaster())).append(' ')
                .append(esc(round.injected()))
                .append(round.newMaster() == null ? ", no new master" : " &rarr; " + esc(round.newMaster()) + " promoted")
                .append(" <span class=\"").append(round.outcome() == FailoverReport.Outcome.PASS ? "PASS" : "FAIL")
                .append(" badge\">").append(esc(round.outcome().name())).append("</span></h2>\n");
        if (round.reason() != null) {
            out.append("<p class=\"reason\">").append(esc(round.reason())).append("</p>\n");
        }
        out.append(timeline(round));
        out.append("<div class=\"cols\">\n<table>\n<caption>Phases (seconds from the fault)</caption>\n")
                .append("<tr><th>phase</th><th class=\"num\">at</th><th>seen by</th></tr>\n");
        for (Phase p : round.phases()) {
            out.append("<tr><td>").append(esc(p.label())).append("</td><td class=\"num\">")
                    .append(FailoverReports.seconds(p.atMs())).append("</td><td>").append(esc(p.by() == null ? "-" : p.by()))
                    .append("</td></tr>\n");
        }
        if (FailoverReports.undone(round) != null) {
            out.append("<tr><td>").append(esc(FailoverReports.undone(round))).append("</td><td class=\"num\">")
                    .append(FailoverReports.seconds(round.healedAtMs())).append("</td><td>redisha</td></tr>\n");
        }
        out.append("</table>\n");
        writes(out, round.writes(), "Writes of redisha's client (follows Sentinel)");
        writes(out, round.sticky(), "Writes of a sticky client (stays with " + round.oldMaster() + ")");
        out.append("</div>\n<table class=\"checks\">\n<caption>Checks</caption>\n");
        for (Check c : round.checks()) {
            out.append("<tr><td class=\"").append(c.status().name()).append("\">").append(c.status().name())
                    .append("</td><td>").append(esc(c.name())).append("</td><td>").append(esc(c.detail()))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (round.application() != null) {
            application(out, round.application());
        }
        if (!round.notReadyBefore().isEmpty() || !round.notes().isEmpty()) {
            out.append("<ul class=\"notes\">\n");
            round.notReadyBefore().forEach(n -> out.append("<li>not ready before the fault: ").append(esc(n)).append("</li>\n"));
            round.notes().forEach(n -> out.append("<li>").append(esc(n)).append("</li>\n"));
            out.append("</ul>\n");
        }
        out.append("<details>\n<summary>Sentinel events (").append(round.events().size()).append(")</summary>\n")
                .append("<div class=\"scroll\">\n<table class=\"events\">\n<tr><th class=\"num\">at (s)</th><th>sentinel</th><th>event</th><th>message</th></tr>\n");
        for (Event e : round.events()) {
            out.append("<tr><td class=\"num\">").append(FailoverReports.seconds(e.atMs())).append("</td><td>")
                    .append(esc(e.sentinel())).append("</td><td>").append(esc(e.type())).append("</td><td>")
                    .append(esc(e.message())).append("</td></tr>\n");
        }
        out.append("</table>\n</div>\n</details>\n</section>\n");
    }

    /** The --while command and its own output, each line timed from the fault. */
    private static void application(StringBuilder out, FailoverReport.Application app) {
        out.append("<h3>Application</h3>\n<p class=\"meta\"><code>").append(esc(app.command())).append("</code>: ")
                .append(esc(FailoverReports.applicationTimes(app))).append("</p>\n<pre class=\"app\">");
        if (app.outputDropped() > 0) {
            out.append("(").append(app.outputDropped()).append(" earlier lines left out)\n");
        }
        if (app.output().isEmpty()) {
            out.append("(no output)\n");
        }
        for (FailoverReport.OutputLine line : app.output()) {
            out.append(String.format("%8s", FailoverReports.seconds(line.atMs()))).append("  ").append(esc(line.text()))
                    .append('\n');
        }
        out.append("</pre>\n");
    }

    private static void summary(StringBuilder out, FailoverReport report) {
        // seven columns: on a narrow screen the table scrolls in its box, not the page
        out.append("<div class=\"scroll\">\n<table>\n<caption>Summary across rounds</caption>\n<tr><th>fault</th><th class=\"num\">rounds</th>"
                + "<th class=\"num\">passed</th><th class=\"num\">switch, median (s)</th><th class=\"num\">switch, worst (s)</th>"
                + "<th class=\"num\">lost (redisha)</th><th class=\"num\">lost (sticky)</th></tr>\n");
        for (FailoverReport.Summary s : report.summary()) {
            out.append("<tr><td>").append(esc(s.fault())).append("</td><td class=\"num\">").append(s.rounds())
                    .append("</td><td class=\"num\">").append(s.passed()).append("</td><td class=\"num\">")
                    .append(FailoverReports.seconds(s.medianSwitchMs())).append("</td><td class=\"num\">")
                    .append(FailoverReports.seconds(s.worstSwitchMs())).append("</td><td class=\"num\">")
                    .append(esc(FailoverReports.lost(s.lost(), s.acknowledged()))).append("</td><td class=\"num\">")
                    .append(esc(FailoverReports.lost(s.stickyLost(), s.stickyAcknowledged()))).append("</td></tr>\n");
        }
        out.append("</table>\n</div>\n");
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><td>").append(esc(name)).append("</td><td class=\"num\">").append(esc(value)).append("</td></tr>\n");
    }

    private record Marker(String label, long atMs, String color, String title) {
    }

    private static void writes(StringBuilder out, Writes w, String title) {
        if (w == null) {
            return;
        }
        out.append("<table>\n<caption>").append(esc(title)).append(", ").append(w.rate()).append("/s")
                .append(w.waitReplicas() == null ? "" : ", WAIT " + w.waitReplicas()).append("</caption>\n");
        row(out, "attempted", Long.toString(w.attempted()));
        row(out, "acknowledged", Long.toString(w.acknowledged()));
        row(out, "failed", Long.toString(w.failed()));
        row(out, "no reply (unknown)", w.unknown() + (w.unknownApplied() == null ? "" : " (" + w.unknownApplied() + " applied)"));
        if (w.waitReplicas() != null) {
            row(out, "unconfirmed by WAIT (not acknowledged)", w.unconfirmed()
                    + (w.unconfirmedApplied() == null ? "" : " (" + w.unconfirmedApplied() + " survived)"));
        }
        row(out, "read back", w.readBack() == null ? "-" : Long.toString(w.readBack()));
        row(out, "acknowledged but lost", w.lost() == null ? "not known: " + w.verifyError()
                : w.lost() + " (" + FailoverReports.percent(w.lost(), w.acknowledged()) + ")");
        FailoverReport.AfterSwitch split = w.afterSwitch();
        if (split != null) {
            row(out, "acknowledged by " + split.oldMaster() + " after the new master was elected",
                    split.acknowledged() + (split.survived() == null ? ""
                            : " (" + split.survived() + " survived, " + split.lost() + " lost)"));
        }
        row(out, "longest window without a successful write",
                FailoverReports.seconds(w.longestGapMs()) + " s (" + FailoverReports.seconds(w.gapFromMs()) + " to "
                        + FailoverReports.seconds(w.gapToMs()) + ")");
        for (FailoverReport.LostWrite lost : w.lostWrites()) {
            row(out, "lost: " + lost.key(), "acknowledged by " + lost.acknowledgedBy() + " at "
                    + FailoverReports.seconds(lost.atMs()) + " s");
        }
        out.append("</table>\n");
    }

    /** The round's SVG chart: x is seconds from the fault. */
    static String timeline(Round round) {
        List<Marker> markers = new ArrayList<>();
        markers.add(new Marker("fault", 0, "#c62828", round.oldMaster() + " " + round.injected()));
        for (Phase p : round.phases()) {
            if (p.atMs() != null) {
                markers.add(new Marker(p.key(), p.atMs(), "#1565c0", p.label() + (p.by() == null ? "" : " (" + p.by() + ")")));
            }
        }
        if (round.healedAtMs() != null) {
            markers.add(new Marker(round.healed() == null ? "undone" : round.healed(), round.healedAtMs(), "#6a1b9a",
                    FailoverReports.undone(round)));
        }
        FailoverReport.Application app = round.application();
        if (app != null && app.startedAtMs() != null) {
            markers.add(new Marker("app start", app.startedAtMs(), "#00695c", "application started"));
        }
        if (app != null && app.exitedAtMs() != null) {
            markers.add(new Marker("app exit " + app.exitStatus(), app.exitedAtMs(), "#00695c",
                    "application exited with status " + app.exitStatus()));
        }
        markers.sort(Comparator.comparingLong(Marker::atMs));
        // redisha's client's lanes, then the sticky client's
        List<List<Sample>> clients = new ArrayList<>();
        for (Writes client : new Writes[]{round.writes(), round.sticky()}) {
            if (client != null && client.samples() != null) {
                clients.add(client.samples());
            }
        }
        List<Sample> samples = clients.stream().flatMap(List::stream).toList();
        List<String> laneLabels = laneLabels(round, Math.max(1, clients.size()));
        int lanes = laneLabels.size();
        int left = LABEL_GAP + (int) Math.ceil(laneLabels.stream().mapToInt(String::length).max().orElse(0) * CHAR_WIDTH)
                + LABEL_GAP;
        long min = -1000;
        long max = Math.max(round.durationMs(), 1000);
        for (Marker m : markers) {
            min = Math.min(min, m.atMs());
            max = Math.max(max, m.atMs());
        }
        for (Sample s : samples) {
            min = Math.min(min, s.atMs());
            max = Math.max(max, s.atMs());
        }
        max += 500;
        Scale x = new Scale(min, max, left);
        int[] rows = labelRows(markers, x);
        int labelRows = 1;
        for (int r : rows) {
            labelRows = Math.max(labelRows, r + 1);
        }
        int laneTop = labelRows * ROW_HEIGHT + 14;
        int axisY = laneTop + lanes * (LANE_HEIGHT + LANE_GAP) + 4;
        int height = axisY + 30;

        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"timeline\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"timeline of round ").append(round.round()).append("\">\n");
        svg.append("<title>Round ").append(round.round()).append(": phases and writes, seconds from the fault</title>\n");
        Writes w = round.writes();
        if (w != null && w.longestGapMs() > 0) {
            svg.append("<rect x=\"").append(fmt(x.at(w.gapFromMs()))).append("\" y=\"").append(laneTop - 4)
                    .append("\" width=\"").append(fmt(Math.max(1, x.at(w.gapToMs()) - x.at(w.gapFromMs()))))
                    .append("\" height=\"").append(3 * (LANE_HEIGHT + LANE_GAP) + 2)
                    .append("\" fill=\"#fff3c4\"><title>longest window without a successful write: ")
                    .append(FailoverReports.seconds(w.longestGapMs())).append(" s</title></rect>\n");
        }
        twoMasters(svg, round, x, laneTop, lanes);
        for (int i = 0; i < lanes; i++) {
            int y = laneY(laneTop, i);
            String label = laneLabels.get(i);
            svg.append("<text x=\"").append(left - LABEL_GAP).append("\" y=\"").append(y + LANE_HEIGHT - 4)
                    .append("\" text-anchor=\"end\" class=\"lane\">").append(esc(label)).append("</text>\n");
            svg.append("<line x1=\"").append(left).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(y + LANE_HEIGHT).append("\" y2=\"").append(y + LANE_HEIGHT).append("\" stroke=\"#e0e0e0\"/>\n");
        }
        if (w == null) {
            svg.append("<text x=\"").append(left + 8).append("\" y=\"").append(laneY(laneTop, 1) + LANE_HEIGHT - 4)
                    .append("\" class=\"lane\">writes off</text>\n");
        }
        for (int c = 0; c < clients.size(); c++) {
            for (Sample s : clients.get(c)) {
                int lane = LANES.indexOf("UNCONFIRMED".equals(s.outcome()) ? "UNKNOWN" : s.outcome());
                if (lane < 0 || !OUTCOME_COLORS.containsKey(s.outcome())) {
                    continue;
                }
                svg.append("<rect x=\"").append(fmt(x.at(s.atMs()) - 0.75)).append("\" y=\"")
                        .append(laneY(laneTop, c * LANES.size() + lane)).append("\" width=\"1.5\" height=\"")
                        .append(LANE_HEIGHT).append("\" fill=\"").append(OUTCOME_COLORS.get(s.outcome())).append("\"/>\n");
            }
        }
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            double mx = x.at(m.atMs());
            int labelY = (rows[i] + 1) * ROW_HEIGHT;
            svg.append("<g><title>").append(esc(m.title())).append(" at ").append(FailoverReports.seconds(m.atMs()))
                    .append(" s</title>");
            svg.append("<line x1=\"").append(fmt(mx)).append("\" x2=\"").append(fmt(mx)).append("\" y1=\"")
                    .append(labelY + 3).append("\" y2=\"").append(axisY).append("\" stroke=\"").append(m.color())
                    .append("\" stroke-dasharray=\"3,2\"/>");
            boolean rightEdge = anchoredLeft(m, mx);
            svg.append("<text x=\"").append(fmt(rightEdge ? mx - 3 : mx + 3)).append("\" y=\"").append(labelY)
                    .append("\" fill=\"").append(m.color()).append("\"").append(rightEdge ? " text-anchor=\"end\"" : "")
                    .append(">").append(esc(labelText(m))).append("</text></g>\n");
        }
        svg.append("<line x1=\"").append(left).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(axisY)
                .append("\" y2=\"").append(axisY).append("\" stroke=\"#444\"/>\n");
        double step = tickStep((max - min) / 1000.0);
        for (double t = Math.ceil(min / 1000.0 / step) * step; t * 1000 <= max; t += step) {
            double tx = x.at(Math.round(t * 1000));
            svg.append("<line x1=\"").append(fmt(tx)).append("\" x2=\"").append(fmt(tx)).append("\" y1=\"").append(axisY)
                    .append("\" y2=\"").append(axisY + 4).append("\" stroke=\"#444\"/>");
            svg.append("<text x=\"").append(fmt(tx)).append("\" y=\"").append(axisY + 16)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(trim(t)).append(" s</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /**
     * The window in which two nodes answered as master: from Sentinel's switch to the last write the
     * old master acknowledged after it (a client that stayed with it saw that).
     */
    private static void twoMasters(StringBuilder svg, Round round, Scale x, int laneTop, int lanes) {
        Phase switched = round.phase("switch");
        Long last = null;
        for (Writes client : new Writes[]{round.writes(), round.sticky()}) {
            if (client != null && client.afterSwitch() != null && client.afterSwitch().lastAtMs() != null) {
                last = last == null ? client.afterSwitch().lastAtMs() : Math.max(last, client.afterSwitch().lastAtMs());
            }
        }
        if (switched == null || switched.atMs() == null || last == null) {
            return;
        }
        svg.append("<rect x=\"").append(fmt(x.at(switched.atMs()))).append("\" y=\"").append(laneTop - 4)
                .append("\" width=\"").append(fmt(Math.max(1, x.at(last) - x.at(switched.atMs()))))
                .append("\" height=\"").append(lanes * (LANE_HEIGHT + LANE_GAP) + 2)
                .append("\" fill=\"#fde0dc\" fill-opacity=\"0.7\"><title>two nodes answered as master: ")
                .append(esc(round.oldMaster())).append(" acknowledged writes until ").append(FailoverReports.seconds(last))
                .append(" s</title></rect>\n");
    }

    /**
     * One label per lane, each client's three in turn; the middle lane's names the writes WAIT did not
     * confirm when WAIT ran. The chart's left margin is as wide as the longest.
     */
    static List<String> laneLabels(Round round, int clients) {
        boolean waited = Stream.of(round.writes(), round.sticky())
                .anyMatch(w -> w != null && (w.waitReplicas() != null || w.unconfirmed() > 0));
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            for (String lane : LANES) {
                String label = "UNKNOWN".equals(lane) && waited ? UNKNOWN_OR_UNCONFIRMED : LANE_LABELS.get(lane);
                labels.add(c == 0 ? label : "sticky: " + label);
            }
        }
        return labels;
    }

    private static int laneY(int laneTop, int lane) {
        return laneTop + lane * (LANE_HEIGHT + LANE_GAP);
    }

    private static String labelText(Marker m) {
        return m.label() + " " + FailoverReports.seconds(m.atMs());
    }

    private static double labelWidth(Marker m) {
        return labelText(m).length() * CHAR_WIDTH + 6;
    }

    /** Labels near the right edge extend to the left of their marker. */
    private static boolean anchoredLeft(Marker m, double mx) {
        return mx + labelWidth(m) > WIDTH - RIGHT;
    }

    /** Row of each marker's label: the first row where it does not overlap the label before it (markers sorted by time). */
    static int[] labelRows(List<Marker> markers, Scale x) {
        int[] rows = new int[markers.size()];
        double[] rowEnds = new double[MAX_LABEL_ROWS];
        java.util.Arrays.fill(rowEnds, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            double mx = x.at(m.atMs());
            double from = anchoredLeft(m, mx) ? mx - labelWidth(m) : mx;
            double to = anchoredLeft(m, mx) ? mx : mx + labelWidth(m);
            int row = 0;
            while (row < MAX_LABEL_ROWS - 1 && rowEnds[row] > from) {
                row++;
            }
            rows[i] = row;
            rowEnds[row] = Math.max(rowEnds[row], to);
        }
        return rows;
    }

    static double tickStep(double spanSeconds) {
        for (double step : TICK_STEPS) {
            if (spanSeconds / step <= 14) {
                return step;
            }
        }
        return TICK_STEPS[TICK_STEPS.length - 1];
    }

    /** Milliseconds from the fault to x, between the lanes' labels and the right margin. */
    record Scale(long min, long max, int left) {
        double at(long ms) {
            return left + (double) (ms - min) / (max - min) * (WIDTH - left - RIGHT);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString(Math.round(seconds)) : String.format(Locale.ROOT, "%.1f", seconds);
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em; color: #222; max-width: 1060px; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-top: 1px solid #ddd; padding-top: 1em; }
            .meta { color: #555; }
            .badge { font-size: .8em; padding: .1em .5em; border-radius: 4px; color: #fff; vertical-align: middle; }
            .badge.PASS { background: #2e7d32; } .badge.FAIL { background: #c62828; }
            td.PASS { color: #2e7d32; font-weight: bold; } td.FAIL { color: #c62828; font-weight: bold; } td.SKIP { color: #888; }
            .reason { color: #c62828; }
            table { border-collapse: collapse; margin: .8em 1.5em .8em 0; }
            caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
            th, td { text-align: left; padding: .15em .6em; border-bottom: 1px solid #eee; vertical-align: top; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            .cols { display: flex; flex-wrap: wrap; align-items: flex-start; }
            .scroll { overflow-x: auto; }
            table.events td { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; }
            svg.timeline { max-width: 100%; height: auto; font-size: 11px; }
            svg .lane, svg .tick { fill: #555; }
            pre.app { background: #f6f6f6; padding: .6em; overflow-x: auto; font-size: .85em; max-height: 40em; }
            """;
}
