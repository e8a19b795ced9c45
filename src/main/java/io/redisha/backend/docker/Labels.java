package io.redisha.backend.docker;

import io.redisha.backend.Service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels that mark every Docker object redisha creates, on one engine and on a Swarm alike;
 * objects are found by them, never by name.
 */
public final class Labels {
    public static final String PROJECT = "io.redisha.project";
    public static final String SERVICE = "io.redisha.service";
    public static final String INDEX = "io.redisha.index";
    /** A node's fixed address on the project's network, to reconnect it with the same one. */
    static final String ADDRESS = "io.redisha.address";
    /** What an image was built from (see {@link BuildInputs}), to skip building it again. */
    static final String BUILD_DIGEST = "io.redisha.build-digest";
    /** A short-lived container that runs one program of an image (e.g. its server's --version). */
    static final String PROBE = "io.redisha.probe";
    /** What a node was created from ({@link io.redisha.backend.NodeSpec#settings()}). */
    public static final String SETTINGS = "io.redisha.settings";

    /** On a node's Prometheus exporter: the name of the node it watches. */
    public static final String EXPORTER_OF = "io.redisha.exporter-of";

    /** The side network of a partition fault, which only ever holds the isolated node. */
    static final String PARTITION = "io.redisha.partition";

    private Labels() {
    }

    public static Map<String, String> project(String project) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PROJECT, project);
        return labels;
    }

    static Map<String, String> partition(String project) {
        Map<String, String> labels = project(project);
        labels.put(PARTITION, "true");
        return labels;
    }

    static boolean isPartition(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(PARTITION));
    }

    static Map<String, String> node(String project, Service service, int index) {
        Map<String, String> labels = project(project);
        labels.put(SERVICE, service.label());
        labels.put(INDEX, Integer.toString(index));
        return labels;
    }

    public static Map<String, String> node(String project, Service service, int index, String settings) {
        Map<String, String> labels = node(project, service, index);
        if (settings != null) {
            labels.put(SETTINGS, settings);
        }
        return labels;
    }

    /** A node's index from its label; 0 when missing or not a number. */
    public static int index(Map<String, String> labels) {
        try {
            return Integer.parseInt(labels.get(INDEX));
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }
}
