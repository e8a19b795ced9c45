package io.redisha.it;

import java.io.IOException;
import java.io.Writer;

/**
 * What the redisha commands of the current test printed on stderr, as they print it: a test cut
 * off by its time limit shows how far the command got ({@link ProgressOnTimeout}). Thread-safe: the
 * command runs on the test's thread, the time limit is handled on another.
 */
final class Transcript {
    /** Enough for the progress of a failover-test with several rounds; older lines are dropped. */
    private static final int KEPT_CHARS = 20_000;
    private static final StringBuffer TEXT = new StringBuffer();

    private Transcript() {
    }

    /** Starts afresh, for a new test (or a class's set-up). */
    static void reset() {
        TEXT.setLength(0);
    }

    /** Notes that a command starts, and returns a writer that copies its stderr into the transcript as well. */
    static Writer started(String command, Writer stderr) {
        TEXT.append("$ ").append(command).append('\n');
        return new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) throws IOException {
                stderr.write(chars, offset, length);
                TEXT.append(chars, offset, length);
            }

            @Override
            public void flush() throws IOException {
                stderr.flush();
            }

            @Override
            public void close() throws IOException {
                stderr.close();
            }
        };
    }

    /** Notes that a command ended: one still running has no such line. */
    static void ended(int exitCode) {
        TEXT.append("[exit ").append(exitCode).append("]\n");
    }

    /** A line that did not come through {@link #started}, e.g. from a redisha run as a separate process. */
    static void line(String line) {
        TEXT.append(line).append('\n');
    }

    /** The transcript, its last {@value #KEPT_CHARS} characters when longer, from the start of a line. */
    static String text() {
        synchronized (TEXT) {
            if (TEXT.length() <= KEPT_CHARS) {
                return TEXT.toString();
            }
            String tail = TEXT.substring(TEXT.length() - KEPT_CHARS);
            return "[... earlier lines left out]\n" + tail.substring(tail.indexOf('\n') + 1);
        }
    }
}
