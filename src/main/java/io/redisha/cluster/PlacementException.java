package io.redisha.cluster;

/** The backend cannot place the nodes so that the deployment survives what it must (a host lost); nothing was created. */
public class PlacementException extends RuntimeException {
    public PlacementException(String message) {
        super(message);
    }
}
