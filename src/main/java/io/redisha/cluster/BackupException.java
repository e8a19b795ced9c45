package io.redisha.cluster;

/** A backup that fails its verification, or a restore refused before anything changed. */
public final class BackupException extends RuntimeException {
    /** Why: each has an exit code of its own. */
    public enum Kind {
        /** The file is not what was written: checksum, size, or the server's own check. */
        DAMAGED,
        /** The file's RDB format is newer than the deployment's server reads. */
        NEWER_FORMAT,
        /** The request is refused as it stands (no manifest, a deployment holding data, no replica to take it on). */
        REFUSED
    }

    private final Kind kind;

    public BackupException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BackupException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
