package io.redisha.backend.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The last lines of a log, read once for an error message: a container's on one engine, a service's
 * on a Swarm. Blank lines are left out.
 */
public final class LogTail extends ResultCallback.Adapter<Frame> {
    private final List<String> lines = new ArrayList<>();

    private LogTail() {
    }

    /**
     * Reads a log to its end, at most 10 s, and returns at most {@code limit} of its last lines; what was
     * read before a failure (none when the log cannot be read).
     *
     * @param read starts reading into the callback it is given
     */
    public static List<String> read(Function<LogTail, LogTail> read, int limit) {
        LogTail tail = new LogTail();
        try {
            read.apply(tail).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LogTail.class).debug("cannot read a log", e);
        }
        synchronized (tail.lines) {
            List<String> out = List.copyOf(tail.lines);
            return out.size() > limit ? out.subList(out.size() - limit, out.size()) : out;
        }
    }

    @Override
    public void onNext(Frame frame) {
        for (String line : new String(frame.getPayload(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                synchronized (lines) {
                    lines.add(line.stripTrailing());
                }
            }
        }
    }
}
