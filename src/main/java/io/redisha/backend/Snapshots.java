package io.redisha.backend;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * What a backend offers whose engine can move a node's files in and out and run a program over a
 * file: the copy of a snapshot out of a node, its check in a throw-away container, and its load
 * into a node. On a Swarm the file is read through the engine of the host that runs the node.
 */
public interface Snapshots {

    /**
     * Copies the file at {@code path} inside the node to {@code out}; {@code copied} hears the bytes
     * copied so far from time to time. Returns the file's size.
     */
    long copyOut(Node node, String path, OutputStream out, LongConsumer copied);

    /** Removes a file from a running node; a file that is not there is no error. */
    void removeFile(Node node, String path);

    /**
     * Runs {@code program} of the image once over a copy of {@code file}, in a throw-away container
     * without a network, in place of the image's entrypoint; nothing is left behind.
     *
     * @param args the program's arguments; {@link #CHECKED_FILE} stands for the copy's path
     */
    Run runOver(String image, String program, List<String> args, Path file);

    /** Where {@link #runOver} puts the copy of the file. */
    String CHECKED_FILE = "/tmp/redisha-check.rdb";

    /** What a program said and how it ended. */
    record Run(int exitCode, String output) {
    }

    /**
     * Stops the node, puts {@code file} at {@code path} inside it and starts it again at once, as the
     * first start of a new deployment does: without asking the Sentinels or the other nodes which
     * master to follow (the node was the master and is to stay so, with this data). Where addresses move
     * ({@link Backend#addressesMove()}) it may come back with a new one.
     */
    void restartWith(Node node, String path, Path file);
}
