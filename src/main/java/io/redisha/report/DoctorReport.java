package io.redisha.report;

import io.redisha.cluster.Doctor;

import java.util.List;

/** redisha doctor's checks as text (one line each, what to do under a failure) or JSON. */
public final class DoctorReport {
    private DoctorReport() {
    }

    public static String text(List<Doctor.Check> checks) {
        StringBuilder out = new StringBuilder();
        for (Doctor.Check c : checks) {
            out.append(String.format("%-8s %-9s %s%n", c.status() == Doctor.Status.fail ? "FAIL" : c.status().name(),
                    c.check(), c.detail()));
            if (c.fix() != null) {
                out.append(String.format("%-18s fix: %s%n", "", c.fix()));
            }
        }
        return out.toString();
    }

    /** @param exitCode the command's exit code, 0 when nothing failed */
    public static String json(List<Doctor.Check> checks, int exitCode) {
        record Checks(boolean ok, int exitCode, List<Doctor.Check> checks) {
        }
        return Json.write(new Checks(exitCode == 0, exitCode, checks));
    }
}
