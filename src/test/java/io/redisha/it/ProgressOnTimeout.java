package io.redisha.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.util.concurrent.TimeoutException;

/**
 * When a test or a set-up method exceeds its {@code @Timeout}, the failure also carries the
 * stderr of the redisha commands it ran so far, the one still running included: CI shows what
 * the command was waiting for instead of a bare "timed out after 10 minutes".
 * <p>
 * The integration tests use {@code @Timeout(threadMode = SEPARATE_THREAD)}: a test blocked where an
 * interrupt cannot reach it (a socket or pipe read) still fails at its limit instead of hanging CI.
 */
final class ProgressOnTimeout implements BeforeAllCallback, BeforeEachCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    @Override
    public void beforeAll(ExtensionContext context) {
        Transcript.reset();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Transcript.reset();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw withProgress(thrown, Transcript.text());
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw withProgress(thrown, Transcript.text());
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw withProgress(thrown, Transcript.text());
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw withProgress(thrown, Transcript.text());
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw withProgress(thrown, Transcript.text());
    }

    /** A timeout with the transcript added to its message (same stack trace and cause); anything else as it is. */
    static Throwable withProgress(Throwable thrown, String transcript) {
        if (!(thrown instanceof TimeoutException)) {
            return thrown;
        }
        TimeoutException withProgress = new TimeoutException(thrown.getMessage()
                + "\n--- stderr of the redisha commands run so far (a command without [exit N] was still running)\n"
                + (transcript.isEmpty() ? "(none)\n" : transcript));
        withProgress.setStackTrace(thrown.getStackTrace());
        if (thrown.getCause() != null) {
            withProgress.initCause(thrown.getCause());
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            withProgress.addSuppressed(suppressed);
        }
        return withProgress;
    }
}
