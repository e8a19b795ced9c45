package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Hosts;
import io.redisha.backend.Naming;
import io.redisha.sentinel.AddressMapper;
import io.redisha.sentinel.Probe;

import java.util.List;

/**
 * Reads the deployment: its nodes from the backend (keeping the address mapper in step with them)
 * and what its Redis servers and Sentinels say, judged by the {@link Inspector}.
 */
public final class Observer {
    private final Backend backend;
    private final String project;
    private final AddressMapper mapper;
    private final Inspector inspector;
    private volatile Deployment deployment;

    Observer(Backend backend, String project, AddressMapper mapper, Inspector inspector) {
        this.backend = backend;
        this.project = project;
        this.mapper = mapper;
        this.inspector = inspector;
    }

    /** Reads the project's nodes from the backend again. */
    public Deployment refresh() {
        Deployment d = new Deployment(project, Naming.network(project), backend.nodes());
        deployment = d;
        mapper.update(d.dialTable());
        return d;
    }

    /** The nodes as last read. */
    public Deployment deployment() {
        Deployment d = deployment;
        return d == null ? refresh() : d;
    }

    Inspector.Observation observe(Deployment d) {
        return inspector.observe(d);
    }

    /** Reads the nodes and asks every one of them, in parallel. */
    Inspector.Observation observe() {
        return inspector.observe(refresh());
    }

    public ClusterStatus status(Expected expected) {
        ClusterStatus status = inspector.inspect(refresh(), expected);
        List<String> hosts = backend.hosts().map(Hosts::hostProblems).orElse(List.of());
        if (hosts.isEmpty()) {
            return status;
        }
        List<String> notReady = new java.util.ArrayList<>(hosts);
        notReady.addAll(status.notReady());
        return new ClusterStatus(status.project(), status.network(), status.nodes(), status.sentinels(), status.master(),
                status.sentinelsAgree(), false, List.copyOf(notReady));
    }

    /** Judges what the nodes said when last asked. */
    ClusterStatus judge(Inspector.Observation o, Expected expected) {
        return inspector.judge(o, expected);
    }

    /** Asks every node of the deployment as already read, and judges what they say. */
    ClusterStatus inspect(Deployment d, Expected expected) {
        return inspector.inspect(d, expected);
    }

    static Observer of(Backend backend, String project, Probe probe, AddressMapper mapper, Workers workers) {
        return new Observer(backend, project, mapper, new Inspector(probe, workers.executor()));
    }
}
