package io.redisha.cli;

import io.redisha.sentinel.Reply;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromptTest {
    private final List<String> prompts = new ArrayList<>();
    private final List<List<String>> sent = new ArrayList<>();
    private final StringWriter out = new StringWriter();

    private void run(Prompt.Target target, String... lines) {
        Deque<String> script = new ArrayDeque<>(List.of(lines));
        PrintWriter writer = new PrintWriter(out);
        new Prompt(prompt -> {
            prompts.add(prompt);
            return script.poll();
        }, writer, (command, reply) -> writer.print(ReplyFormat.forCommand(command, reply))).run(target);
    }

    private Prompt.Target target(Reply reply) {
        return new Prompt.Target() {
            @Override
            public String label() {
                return "master-1";
            }

            @Override
            public Reply send(List<byte[]> command) {
                sent.add(command.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
                return reply;
            }
        };
    }

    @Test
    void sendsEachLineAndPrintsTheReplyUntilQuit() {
        run(target(new Reply.Status("OK")), "SET k \"a b\"", "", "  ", "\"unbalanced", "PING", "quit", "never sent");
        assertEquals(List.of(List.of("SET", "k", "a b"), List.of("PING")), sent);
        assertEquals("OK\n(error) Invalid argument(s)\nOK\n", out.toString());
        assertEquals(6, prompts.size());
        assertEquals("master-1> ", prompts.get(0));
    }

    @Test
    void endsAtTheEndOfInputAndOnExit() {
        run(target(new Reply.Int(1)), "INCR n");
        assertEquals("(integer) 1\n", out.toString());
        run(target(new Reply.Int(1)), "EXIT");
        assertEquals(1, sent.size());
    }

    @Test
    void aLostConnectionIsReportedAndThePromptGoesOn() {
        Prompt.Target failing = new Prompt.Target() {
            private int calls;

            @Override
            public String label() {
                return "master";
            }

            @Override
            public Reply send(List<byte[]> command) {
                if (calls++ == 0) {
                    throw new JedisConnectionException("Connection reset");
                }
                return new Reply.Status("PONG");
            }
        };
        run(failing, "PING", "PING");
        assertEquals("(error) connection lost: Connection reset (connecting again at the next command)\nPONG\n",
                out.toString());
    }
}
