package io.redisha.cli;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogPrinterTest {
    private static Node node(Service service, int index) {
        return new Node("id", "shop-" + service.label() + "-" + index, service, index, NodeState.RUNNING, "10.0.0.2",
                new Endpoint("127.0.0.1", 30000), "redis:7", null);
    }

    @Test
    void namesArePaddedToTheLongestAsComposeDoes() {
        Node master = node(Service.MASTER, 1);
        Node sentinel = node(Service.SENTINEL, 3);
        StringWriter out = new StringWriter();
        LogPrinter printer = new LogPrinter(new PrintWriter(out), List.of(master, sentinel), false);
        printer.to(master).accept("Ready to accept connections");
        printer.to(sentinel).accept("+monitor master mymaster");
        printer.to(sentinel).accept("");
        assertEquals("master-1   | Ready to accept connections\nsentinel-3 | +monitor master mymaster\nsentinel-3 | \n",
                out.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void jsonIsOneObjectPerLine() {
        Node replica = node(Service.REPLICA, 2);
        StringWriter out = new StringWriter();
        new LogPrinter(new PrintWriter(out), List.of(replica), true).to(replica).accept("say \"hi\"");
        assertEquals("{\"node\":\"replica-2\",\"container\":\"shop-replica-2\",\"line\":\"say \\\"hi\\\"\"}\n",
                out.toString().replace(System.lineSeparator(), "\n"));
    }
}
