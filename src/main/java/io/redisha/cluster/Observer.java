package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Hosts;
import io.redisha.backend.Naming;
import io.redisha.sentinel.AddressMapper;
import io.redisha.sentinel.Probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /** Also when and how often each node started (asked of the backend while the nodes are asked). */
    public ClusterStatus status(Expected expected) {
        Deployment d = refresh();
        CompletableFuture<RestartWatch.Judged> starts = CompletableFuture.supplyAsync(
                () -> RestartWatch.judge(backend.selfRestart().map(r -> r.starts(d.nodes())).orElse(List.of()),
                        d.nodes(), Instant.now()));
        ClusterStatus status = inspector.inspect(d, expected);
        List<String> hosts = backend.hosts().map(Hosts::hostProblems).orElse(List.of());
        List<String> notReady = new ArrayList<>(hosts);
        notReady.addAll(status.notReady());
        RestartWatch.Judged judged = join(starts);
        return new ClusterStatus(status.project(), status.network(), status.nodes(), status.sentinels(), status.master(),
                status.sentinelsAgree(), status.ready() && hosts.isEmpty(), List.copyOf(notReady),
                judged.starts(), judged.warnings());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
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
