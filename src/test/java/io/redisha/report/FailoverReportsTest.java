package io.redisha.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.failover.FailoverReport;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Event;
import io.redisha.failover.FailoverReport.Outcome;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.failover.FailoverReport.Sample;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.failover.FailoverReport.Writes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverReportsTest {
    private static final String HOSTILE = "<script>alert('x')</script>&\"";

    static FailoverReport report(String eventMessage, Outcome outcome) {
        List<Phase> phases = List.of(
                new Phase("sdown", "detected by Sentinel (+sdown)", 5210L, "p-sentinel-1"),
                new Phase("odown", "objectively down (+odown)", 5400L, "p-sentinel-3"),
                new Phase("leader", "leader elected (+elected-leader)", 5450L, "p-sentinel-3"),
                new Phase("promoted", "replica promoted (+promoted-slave)", 6100L, "p-sentinel-3"),
                new Phase("switch", "switch announced (+switch-master)", 7000L, "p-sentinel-1"),
                new Phase("first-write", "first write on the new master", 6950L, "writes"),
                new Phase("rejoined", "old master rejoined as replica", 21_000L, "redisha"),
                new Phase("ready", "deployment ready again", null, null));
        List<Check> checks = List.of(
                new Check("failover", Status.PASS, "Sentinel promoted p-replica-1"),
                new Check("ready", outcome == Outcome.PASS ? Status.PASS : Status.FAIL, "not ready after 60 s: " + HOSTILE));
        Writes writes = new Writes(50, 400, 350, 40, 10, 349L, 1L, 3L, null, 6900, 10, 6910, List.of(new FailoverReport.LostWrite("redisha:ft:a:1:9", "p-master-1", 6950)),
                List.of(new Sample(-500, "ACK"), new Sample(1000, "UNKNOWN"), new Sample(2000, "FAILED"),
                        new Sample(6950, "ACK")));
        Round round = new Round(1, "pause", "paused", "p-master-1", "p-replica-1", outcome, outcome == Outcome.PASS ? null : "ready: x",
                phases, 7100L, checks, writes, List.of(new Event("p-sentinel-1", "+sdown", 5210, eventMessage)),
                List.of(), List.of("a note"), 22_000);
        return new FailoverReport("p" + HOSTILE, "pause", 1, 50, null, 60, 5000, 0, 10, "2026-01-01T00:00:00Z",
                List.of(round), outcome);
    }

    @Test
    void textHasThePhaseTableTheWriteFiguresAndALinePerCheck() {
        String text = FailoverReports.text(report("master mymaster 10.0.0.2 6379", Outcome.PASS));
        assertTrue(text.contains("round 1: p-master-1 paused, p-replica-1 promoted"), text);
        assertTrue(Pattern.compile("detected by Sentinel \\(\\+sdown\\)\\s+5\\.21\\s+p-sentinel-1").matcher(text).find(), text);
        assertTrue(Pattern.compile("deployment ready again\\s+-").matcher(text).find(), text);
        assertTrue(text.contains("400 attempted, 350 acknowledged, 40 failed, 10 unknown"), text);
        assertTrue(text.contains("acknowledged but lost: 1 of 350 (0.3%; 349 read back from the master)"), text);
        assertTrue(text.contains("lost: redisha:ft:a:1:9, acknowledged by p-master-1 at 6.95 s"), text);
        assertTrue(text.contains("longest window without a successful write: 6.90 s (0.01 s to 6.91 s)"), text);
        assertTrue(text.contains("  PASS  failover: Sentinel promoted p-replica-1"), text);
        assertTrue(text.contains("down-after-milliseconds 5000"), text);
        assertTrue(text.strip().endsWith("RESULT: PASS (1 round)"), text);
    }

    @Test
    void textSaysWhichKindOfFailure() {
        assertTrue(FailoverReports.text(report("m", Outcome.FAIL)).contains("RESULT: FAIL: a check failed"));
        assertTrue(FailoverReports.text(report("m", Outcome.NO_FAILOVER)).contains("RESULT: FAIL: no failover"));
    }

    @Test
    void jsonHasTheFiguresButNotThePerWriteSamples() throws Exception {
        JsonNode json = new ObjectMapper().readTree(FailoverReports.json(report("m", Outcome.PASS)));
        assertEquals("PASS", json.get("outcome").asText());
        assertEquals(5000, json.get("downAfterMilliseconds").asInt());
        JsonNode round = json.get("rounds").get(0);
        assertEquals("p-replica-1", round.get("newMaster").asText());
        assertEquals(8, round.get("phases").size());
        assertEquals(5210, round.get("phases").get(0).get("atMs").asLong());
        assertTrue(round.get("phases").get(7).get("atMs").isNull());
        JsonNode writes = round.get("writes");
        assertEquals(350, writes.get("acknowledged").asLong());
        assertEquals(1, writes.get("lost").asLong());
        assertFalse(writes.has("samples"));
        assertEquals("PASS", round.get("checks").get(0).get("status").asText());
    }

    @Test
    void htmlIsSelfContainedAndEscapesEveryText() {
        String html = FailoverHtml.render(report("slave " + HOSTILE + " @ mymaster", Outcome.FAIL));
        assertFalse(html.contains("<script"), "no script, and no unescaped text from the report");
        assertFalse(html.contains("alert('x')"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no external resource");
        assertFalse(html.contains("@import") || html.contains("url("), "no external stylesheet or font");
        assertTrue(html.contains("<svg"));
        assertEquals(4, count(html, "<rect x=") - 1, "one tick per write, plus the longest-gap band");
        assertTrue(html.contains("switch 7.00"), "phase markers are labelled");
        assertTrue(html.contains("class=\"FAIL\">FAIL</td>"));
    }

    @Test
    void theFaultsUndoingIsNamedAndARestartFastRoundUndoesNothing() throws Exception {
        FailoverReport report = LongLabelReport.report();
        String text = FailoverReports.text(report);
        String master = LongLabelReport.MASTER;
        assertTrue(text.contains("  fault undone (" + master + " unpaused) at 7.20 s"), text);
        assertTrue(text.contains("  fault undone (" + LongLabelReport.REPLICA + " reconnected) at 20.00 s"), text);
        String restartFast = text.substring(text.indexOf("round 3: "), text.indexOf("round 4: "));
        assertFalse(restartFast.contains("undone"), restartFast);
        assertTrue(restartFast.contains("note: nothing to undo: the engine had started " + master + " again at once"),
                restartFast);
        String leftDown = text.substring(text.indexOf("round 4: "), text.indexOf("round 5: "));
        assertFalse(leftDown.contains("undone"), "the killed master was left down: " + leftDown);

        String html = FailoverHtml.render(report);
        assertTrue(html.contains("<td>fault undone (" + master + " unpaused)</td>"), "the phase table says what was done");
        assertTrue(html.contains(">unpaused 7.20</text>"), "the timeline's marker is named after it");
        assertTrue(html.contains(">reconnected 20.00</text>"));
        String round3 = html.substring(html.indexOf("<h2>Round 3:"), html.indexOf("<h2>Round 4:"));
        assertFalse(round3.contains("undone"), round3);

        JsonNode rounds = new ObjectMapper().readTree(FailoverReports.json(report)).get("rounds");
        assertEquals(7200, rounds.get(0).get("healedAtMs").asLong());
        assertEquals("unpaused", rounds.get(0).get("healed").asText());
        assertTrue(rounds.get(2).get("healedAtMs").isNull(), "restart-fast: nothing undone, so no time");
        assertTrue(rounds.get(2).get("healed").isNull());
    }

    @Test
    void theLaneLabelsNameUnconfirmedWritesOnlyWhenWaitRan() {
        FailoverReport report = LongLabelReport.report();
        assertEquals(List.of("acknowledged", "no reply/unconfirmed", "failed"),
                FailoverHtml.laneLabels(report.rounds().get(0), 1), "WAIT 1");
        assertEquals(List.of("acknowledged", "no reply", "failed", "sticky: acknowledged", "sticky: no reply",
                "sticky: failed"), FailoverHtml.laneLabels(report.rounds().get(1), 2));
    }

    @Test
    void theChartsLeftMarginHoldsItsLongestLaneLabel() {
        String html = FailoverHtml.render(LongLabelReport.report());
        Matcher lane = Pattern.compile("<text x=\"(\\d+)\" y=\"\\d+\" text-anchor=\"end\" class=\"lane\">([^<]+)</text>")
                .matcher(html);
        int lanes = 0;
        while (lane.find()) {
            lanes++;
            // at least 0.6 em per character of the 11 px text: as wide as DejaVu Sans draws it, or wider
            assertTrue(Integer.parseInt(lane.group(1)) >= lane.group(2).length() * 6.6, lane.group());
        }
        assertTrue(lanes >= 6 * 3, "the lanes of every client in every round with writes: " + lanes);
    }

    @Test
    void ticksFitTheSpan() {
        assertEquals(2.0, FailoverHtml.tickStep(25));
        assertEquals(0.5, FailoverHtml.tickStep(5));
        assertEquals(10.0, FailoverHtml.tickStep(100));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theApplicationOfWhileIsShownWithItsOwnOutputInEveryReport() throws Exception {
        FailoverReport base = report("m", Outcome.FAIL);
        Round r = base.rounds().get(0);
        FailoverReport.Application app = new FailoverReport.Application("java -jar shop.jar " + HOSTILE, -1200L, -900L,
                21_500L, 21_700L, 1, false, List.of(new FailoverReport.OutputLine(-900, "connected"),
                new FailoverReport.OutputLine(21_650, "LOST 12 writes " + HOSTILE)), 3);
        Round withApp = new Round(r.round(), r.fault(), r.injected(), r.oldMaster(), r.newMaster(), r.outcome(), r.reason(),
                r.phases(), r.healedAtMs(), r.checks(), r.writes(), r.events(), r.notReadyBefore(), r.notes(), r.durationMs(), app);
        FailoverReport report = new FailoverReport(base.project(), base.fault(), 1, 50, null, 60, 5000, 0, 10,
                base.startedAt(), List.of(withApp), Outcome.FAIL);

        String text = FailoverReports.text(report);
        assertTrue(text.contains("  application: java -jar shop.jar"), text);
        assertTrue(text.contains("    started at -1.20 s, first output at -0.90 s, input closed at 21.50 s (round over), "
                + "exited with status 1 at 21.70 s"), text);
        assertTrue(text.contains("    (3 earlier lines of output left out)"), text);
        assertTrue(text.contains("    |    -0.90  connected"), text);
        assertTrue(text.contains("    |    21.65  LOST 12 writes"), text);

        String html = FailoverHtml.render(report);
        assertTrue(html.contains("LOST 12 writes &lt;script&gt;"), "escaped in the HTML");
        assertFalse(html.contains("LOST 12 writes <script>"));
        assertTrue(html.contains("app exit 1"), "the exit on the timeline");

        JsonNode json = new ObjectMapper().readTree(FailoverReports.json(report)).get("rounds").get(0).get("application");
        assertEquals(1, json.get("exitStatus").asInt());
        assertEquals("connected", json.get("output").get(0).get("text").asText());
    }

    @Test
    void theStickyClientAndWhatTheOldMasterAcknowledgedAfterTheSwitchAreInEveryReport() throws Exception {
        FailoverReport base = report("m", Outcome.PASS);
        Round r = base.rounds().get(0);
        Writes sticky = new Writes(50, 600, 500, 90, 10, 100L, 400L, 2L, null, 12_000, 20_000, 32_000, List.of(),
                List.of(new Sample(-500, "ACK"), new Sample(9000, "ACK"), new Sample(21_000, "FAILED")), "sticky", null,
                0, null, new FailoverReport.AfterSwitch("p-master-1", 300, 0L, 300L, 19_990L, 19_990L));
        Round withSticky = new Round(r.round(), "partition", "partitioned", r.oldMaster(), r.newMaster(), r.outcome(),
                r.reason(), r.phases(), 20_000L, r.checks(), r.writes(), r.events(), r.notReadyBefore(), r.notes(),
                r.durationMs(), null, sticky);
        FailoverReport report = new FailoverReport(base.project(), "partition", 1, 50, null, 60, 5000, 0, 10,
                base.startedAt(), List.of(withSticky), Outcome.PASS, 15.0, null);

        String text = FailoverReports.text(report);
        assertTrue(text.contains("partition 15.0 s"), text);
        assertTrue(text.contains("writes of a sticky client (stays connected to p-master-1"), text);
        assertTrue(text.contains("acknowledged but lost: 400 of 500 (80.0%; 100 read back from the master)"), text);
        assertTrue(text.contains("acknowledged by p-master-1 after the new master was elected: 300 (the last at 19.99 s),"
                + " 0 survived, 300 lost"), text);

        String html = FailoverHtml.render(report);
        assertTrue(html.contains("sticky: acknowledged"), "the sticky client's lanes on the timeline");
        assertTrue(html.contains("two nodes answered as master"), "the split-brain window on the timeline");
        assertTrue(html.contains("300 (0 survived, 300 lost)"), html);

        JsonNode json = new ObjectMapper().readTree(FailoverReports.json(report));
        assertEquals(15.0, json.get("partitionSeconds").asDouble());
        JsonNode split = json.get("rounds").get(0).get("sticky").get("afterSwitch");
        assertEquals(300, split.get("lost").asLong());
        assertFalse(json.get("rounds").get(0).get("sticky").has("samples"), "samples stay out of the JSON");
    }

    @Test
    void aRunOfSeveralRoundsIsSummedUpPerFaultKind() throws Exception {
        Round pause = report("m", Outcome.PASS).rounds().get(0);
        Writes sticky = new Writes(50, 600, 500, 90, 10, 100L, 400L, 2L, null, 12_000, 20_000, 32_000, List.of(),
                List.of(), "sticky", null, 0, null, null);
        Round partition = new Round(2, "partition", "partitioned", "p-replica-1", "p-master-1", Outcome.PASS, null,
                List.of(new Phase("switch", "switch announced (+switch-master)", 9000L, "p-sentinel-2")), 20_000L,
                pause.checks(), pause.writes(), List.of(), List.of(), List.of(), 30_000, null, sticky);
        Round pause2 = new Round(3, "pause", "paused", "p-master-1", "p-replica-2", Outcome.PASS, null,
                List.of(new Phase("switch", "switch announced (+switch-master)", 6000L, "p-sentinel-2")), 7000L,
                pause.checks(), null, List.of(), List.of(), List.of(), 20_000, null, null);
        Round pause3 = new Round(4, "pause", "paused", "p-replica-2", "p-master-1", Outcome.NO_FAILOVER, "none",
                List.of(new Phase("switch", "switch announced (+switch-master)", null, null)), 60_000L,
                pause.checks(), null, List.of(), List.of(), List.of(), 60_000, null, null);
        FailoverReport report = new FailoverReport("p", "pause,partition", 4, 50, null, 60, 5000, 0, 10,
                "2026-01-01T00:00:00Z", List.of(pause, partition, pause2, pause3), Outcome.NO_FAILOVER, 15.0, null);

        List<FailoverReport.Summary> summary = report.summary();
        assertEquals(List.of(
                new FailoverReport.Summary("pause", 3, 2, 6000L, 7000L, 350, 1L, 0, 0L),
                new FailoverReport.Summary("partition", 1, 1, 9000L, 9000L, 350, 1L, 500, 400L)), summary);
        String text = FailoverReports.text(report);
        assertTrue(text.contains("summary across rounds"), text);
        assertTrue(text.contains("400 of 500 (80.0%)"), text);
        assertTrue(FailoverHtml.render(report).contains("Summary across rounds"));
        JsonNode json = new ObjectMapper().readTree(FailoverReports.json(report));
        assertEquals("partition", json.get("summary").get(1).get("fault").asText(), json::toString);
        assertEquals(400, json.get("summary").get(1).get("stickyLost").asLong());
    }
}
