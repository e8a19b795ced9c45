package io.redisha.topology;

import java.util.List;

final class HostPorts {

    private HostPorts() {}

    static Integer get(List<Integer> ports, int index1Based) {
        if (index1Based < 1) {
            throw new IllegalArgumentException("instance numbers start at 1, got " + index1Based);
        }
        return index1Based <= ports.size() ? ports.get(index1Based - 1) : null;
    }
}
