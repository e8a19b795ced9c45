package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options of backup, restore and up --from-backup that are refused before anything is asked of the engine. */
class BackupOptionsTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[]{String.valueOf(code), err.toString()};
    }

    @Test
    void keepBelowOneIsAnInvalidCommandLine() {
        String[] r = run("backup", "--keep", "0");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--keep: 0 is less than 1"), r[1]);
    }

    @Test
    void upFromABackupCannotBeADryRun() {
        String[] r = run("up", "--from-backup", "x.rdb", "--dry-run");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--from-backup cannot be combined with --dry-run"), r[1]);
    }

    @Test
    void restoreNeedsAFile() {
        String[] r = run("restore");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("FILE"), r[1]);
    }
}
