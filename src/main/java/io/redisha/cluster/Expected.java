package io.redisha.cluster;

import io.redisha.docker.Service;
import io.redisha.topology.Topology;

import java.util.ArrayList;
import java.util.List;

/** The nodes a topology asks for, as (service, index) slots. */
public record Expected(int replicas, int sentinels) {

    public record Slot(Service service, int index) {
    }

    public static Expected of(Topology topology) {
        return new Expected(topology.replicas().count(), topology.sentinels().count());
    }

    public List<Slot> slots() {
        List<Slot> slots = new ArrayList<>();
        slots.add(new Slot(Service.MASTER, 1));
        for (int i = 1; i <= replicas; i++) {
            slots.add(new Slot(Service.REPLICA, i));
        }
        for (int i = 1; i <= sentinels; i++) {
            slots.add(new Slot(Service.SENTINEL, i));
        }
        return slots;
    }

    public boolean contains(Service service, int index) {
        return switch (service) {
            case MASTER -> index == 1;
            case REPLICA -> index >= 1 && index <= replicas;
            case SENTINEL -> index >= 1 && index <= sentinels;
        };
    }
}
