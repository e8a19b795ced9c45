package io.redisha.wait;

/**
 * One look at something redisha waits for: either done, with what was found, or not yet, with
 * what is still missing in words a user understands.
 */
public record Poll<T>(boolean done, T value, String missing) {

    public static <T> Poll<T> done(T value) {
        return new Poll<>(true, value, null);
    }

    /** Done, with nothing to hand back. */
    public static Poll<Void> ok() {
        return new Poll<>(true, null, null);
    }

    public static <T> Poll<T> waiting(String missing) {
        return new Poll<>(false, null, missing);
    }

    /** Done when {@code missing} is null, else waiting for it. */
    public static Poll<Void> unless(String missing) {
        return missing == null ? ok() : waiting(missing);
    }
}
