package io.redisha.report;

import io.redisha.failover.FailoverReport;
import io.redisha.failover.FailoverReport.Application;
import io.redisha.failover.FailoverReport.OutputLine;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.failover.FailoverReport.Writes;

import java.util.Locale;

/** Renders a {@link FailoverReport} for people (a phase table, write figures, a PASS/FAIL line per check) or as JSON. */
public final class FailoverReports {
    private static final String NL = System.lineSeparator();

    private FailoverReports() {
    }

    /** The same content as the text; per-write samples are left to the HTML chart. */
    public static String json(FailoverReport report) {
        return Json.write(report);
    }

    public static String text(FailoverReport report) {
        StringBuilder out = new StringBuilder();
        out.append("failover-test of project ").append(report.project()).append(": fault ").append(report.fault())
                .append(", ").append(report.roundsRequested()).append(report.roundsRequested() == 1 ? " round" : " rounds")
                .append(", writes ").append(report.writeRate() == 0 ? "off" : report.writeRate() + "/s")
                .append(", down-after-milliseconds ").append(report.downAfterMilliseconds())
                .append(" (no failover can be faster)")
                .append(report.partitionSeconds() == null ? ""
                        : String.format(Locale.ROOT, ", partition %.1f s", report.partitionSeconds()))
                .append(report.waitReplicas() == null ? "" : ", WAIT " + report.waitReplicas() + " after each write")
                .append(NL);
        for (Round round : report.rounds()) {
            out.append(NL).append(round(round));
        }
        if (report.rounds().size() > 1) {
            out.append(NL).append(summary(report));
        }
        out.append(NL).append("RESULT: ").append(result(report)).append(NL);
        return out.toString();
    }

    static String result(FailoverReport report) {
        return switch (report.outcome()) {
            case PASS -> "PASS (" + report.rounds().size() + (report.rounds().size() == 1 ? " round" : " rounds") + ")";
            case NO_FAILOVER -> "FAIL: no failover";
            case FAIL -> "FAIL: a check failed";
        };
    }

    private static String round(Round round) {
        StringBuilder out = new StringBuilder();
        out.append("round ").append(round.round()).append(": ").append(round.oldMaster()).append(" ")
                .append(round.injected())
                .append(round.newMaster() == null ? ", no new master" : ", " + round.newMaster() + " promoted")
                .append(NL);
        if (!round.notReadyBefore().isEmpty()) {
            out.append("  not ready before the fault (tested anyway):").append(NL);
            round.notReadyBefore().forEach(r -> out.append("    - ").append(r).append(NL));
        }
        TextTable phases = new TextTable("PHASE", "AT (s from fault)", "SEEN BY");
        for (Phase p : round.phases()) {
            phases.row(p.label(), seconds(p.atMs()), p.by());
        }
        out.append(NL).append(indent(phases.toString()));
        if (undone(round) != null) {
            out.append("  ").append(undone(round)).append(" at ").append(seconds(round.healedAtMs())).append(" s")
                    .append(NL);
        }
        if (round.writes() != null) {
            out.append(NL).append(writes(round.writes(), "writes of redisha's client (follows Sentinel)"));
        }
        if (round.sticky() != null) {
            out.append(NL).append(writes(round.sticky(), "writes of a sticky client (stays connected to "
                    + round.oldMaster() + ", as a long-lived application connection does)"));
        }
        for (String note : round.notes()) {
            out.append("  note: ").append(note).append(NL);
        }
        if (round.application() != null) {
            out.append(NL).append(application(round.application()));
        }
        out.append(NL);
        for (Check c : round.checks()) {
            out.append("  ").append(String.format("%-4s", c.status())).append("  ").append(c.name()).append(": ")
                    .append(c.detail()).append(NL);
        }
        return out.toString();
    }

    /** One line per fault kind: rounds, passes, time to the new master, writes lost by each client. */
    static String summary(FailoverReport report) {
        TextTable table = new TextTable("FAULT", "ROUNDS", "PASSED", "SWITCH MEDIAN (s)", "SWITCH WORST (s)",
                "LOST (redisha)", "LOST (sticky)");
        for (FailoverReport.Summary s : report.summary()) {
            table.row(s.fault(), Integer.toString(s.rounds()), Integer.toString(s.passed()), seconds(s.medianSwitchMs()),
                    seconds(s.worstSwitchMs()), lost(s.lost(), s.acknowledged()), lost(s.stickyLost(), s.stickyAcknowledged()));
        }
        return "summary across rounds" + NL + indent(table.toString());
    }

    static String lost(Long lost, long acknowledged) {
        return lost == null ? "unknown" : lost + " of " + acknowledged + " (" + percent(lost, acknowledged) + ")";
    }

    private static String writes(Writes w, String title) {
        StringBuilder out = new StringBuilder();
        out.append("  ").append(title).append(NL);
        out.append("    at ").append(w.rate()).append("/s").append(w.waitReplicas() == null ? ""
                        : ", each confirmed with WAIT " + w.waitReplicas()).append(": ").append(w.attempted())
                .append(" attempted, ").append(w.acknowledged()).append(" acknowledged, ").append(w.failed())
                .append(" failed, ").append(w.unknown()).append(" unknown (no reply")
                .append(w.unknownApplied() == null ? "" : "; " + w.unknownApplied() + " of them applied").append(")")
                .append(NL);
        if (w.waitReplicas() != null) {
            out.append("    unconfirmed (applied by Redis, but WAIT did not see ").append(w.waitReplicas())
                    .append(w.waitReplicas() == 1 ? " replica" : " replicas")
                    .append(" confirm it in time; not acknowledged): ").append(w.unconfirmed())
                    .append(w.unconfirmedApplied() == null ? "" : " (" + w.unconfirmedApplied() + " of them survived)")
                    .append(NL);
        }
        if (w.lost() == null) {
            out.append("    acknowledged but lost: not known (").append(w.verifyError()).append(")").append(NL);
        } else {
            out.append("    acknowledged but lost: ").append(w.lost()).append(" of ").append(w.acknowledged())
                    .append(" (").append(percent(w.lost(), w.acknowledged())).append("; ").append(w.readBack())
                    .append(" read back from the master)").append(NL);
            for (FailoverReport.LostWrite lost : w.lostWrites()) {
                out.append("      lost: ").append(lost.key()).append(", acknowledged by ").append(lost.acknowledgedBy())
                        .append(" at ").append(seconds(lost.atMs())).append(" s").append(NL);
            }
            if (w.lost() > w.lostWrites().size()) {
                out.append("      ...").append(NL);
            }
        }
        FailoverReport.AfterSwitch split = w.afterSwitch();
        if (split != null) {
            out.append("    acknowledged by ").append(split.oldMaster()).append(" after the new master was elected: ")
                    .append(split.acknowledged());
            if (split.acknowledged() > 0) {
                out.append(" (the last at ").append(seconds(split.lastAtMs())).append(" s)");
                if (split.survived() != null) {
                    out.append(", ").append(split.survived()).append(" survived, ").append(split.lost()).append(" lost");
                }
            }
            out.append(NL);
            if (split.lastAckMs() != null) {
                out.append("    ").append(split.oldMaster()).append(" acknowledged its last write at ")
                        .append(seconds(split.lastAckMs())).append(" s from the fault").append(NL);
            }
        }
        out.append("    longest window without a successful write: ").append(seconds(w.longestGapMs())).append(" s (")
                .append(seconds(w.gapFromMs())).append(" s to ").append(seconds(w.gapToMs())).append(" s)").append(NL);
        return out.toString();
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** The --while command: when it started and ended, then its own output, each line timed from the fault. */
    private static String application(Application app) {
        StringBuilder out = new StringBuilder();
        out.append("  application: ").append(app.command()).append(NL);
        out.append("    ").append(applicationTimes(app)).append(NL);
        if (app.outputDropped() > 0) {
            out.append("    (").append(app.outputDropped()).append(" earlier lines of output left out)").append(NL);
        }
        if (app.output().isEmpty()) {
            out.append("    (no output)").append(NL);
        }
        for (OutputLine line : app.output()) {
            out.append("    | ").append(String.format("%8s", seconds(line.atMs()))).append("  ").append(line.text())
                    .append(NL);
        }
        return out.toString();
    }

    static String applicationTimes(Application app) {
        if (app.startedAtMs() == null) {
            return "could not be started";
        }
        StringBuilder out = new StringBuilder("started at ").append(seconds(app.startedAtMs())).append(" s");
        if (app.firstOutputAtMs() != null) {
            out.append(", first output at ").append(seconds(app.firstOutputAtMs())).append(" s");
        }
        if (app.inputClosedAtMs() != null) {
            out.append(", input closed at ").append(seconds(app.inputClosedAtMs())).append(" s (round over)");
        }
        if (app.exitStatus() != null) {
            out.append(app.terminated() ? ", terminated by redisha" : "").append(", exited with status ")
                    .append(app.exitStatus()).append(" at ").append(seconds(app.exitedAtMs())).append(" s");
        }
        return out.toString();
    }

    private static String indent(String block) {
        StringBuilder out = new StringBuilder();
        block.lines().forEach(line -> out.append("  ").append(line).append(NL));
        return out.toString();
    }

    /** The fault's undoing for people: "fault undone (p-master-1 unpaused)"; null when nothing was undone. */
    static String undone(Round round) {
        if (round.healedAtMs() == null) {
            return null;
        }
        return "fault undone" + (round.healed() == null ? "" : " (" + round.oldMaster() + " " + round.healed() + ")");
    }

    static String seconds(Long ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.2f", ms / 1000.0);
    }
}
