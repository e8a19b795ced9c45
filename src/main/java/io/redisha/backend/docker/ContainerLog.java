package io.redisha.backend.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.redisha.backend.BackendException;
import io.redisha.backend.LogStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.redisha.backend.docker.DockerClients.rootMessage;

/**
 * A container's log read line by line as the engine sends it ({@link DockerEngine#streamLogs}): the
 * engine's frames cut into lines, per output stream; completion is its own, so a timed wait never closes it.
 */
final class ContainerLog extends ResultCallback.Adapter<Frame> implements LogStream {
    private static final Logger log = LoggerFactory.getLogger(ContainerLog.class);

    private final String containerId;
    private final Consumer<String> onLine;
    private final Map<StreamType, ByteArrayOutputStream> partial = new EnumMap<>(StreamType.class);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;

    ContainerLog(String containerId, Consumer<String> onLine) {
        this.containerId = containerId;
        this.onLine = onLine;
    }

    @Override
    public void onNext(Frame frame) {
        ByteArrayOutputStream line = partial.computeIfAbsent(frame.getStreamType(), t -> new ByteArrayOutputStream());
        for (byte b : frame.getPayload()) {
            if (b == '\n') {
                deliver(line);
            } else {
                line.write(b);
            }
        }
    }

    private void deliver(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        onLine.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }

    @Override
    public void onComplete() {
        partial.values().stream().filter(b -> b.size() > 0).forEach(this::deliver);
        ended.countDown();
        super.onComplete();
    }

    /** Remembered for {@link #await}, not logged: the command reports it. */
    @Override
    public void onError(Throwable error) {
        if (ended.getCount() > 0) {
            failure = error;
        }
        close();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        boolean done = ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Throwable f = failure;
        if (f != null) {
            throw new BackendException("reading the log of " + containerId + " failed: " + rootMessage(f), f);
        }
        return done;
    }

    @Override
    public void close() {
        ended.countDown();
        try {
            super.close();
        } catch (IOException e) {
            log.debug("closing the log of {}", containerId, e);
        }
    }
}
