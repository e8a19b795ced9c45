package io.redisha.cluster;

/** A name given on the command line names no node of the deployment. */
public class NoSuchNodeException extends RuntimeException {
    public NoSuchNodeException(String message) {
        super(message);
    }
}
