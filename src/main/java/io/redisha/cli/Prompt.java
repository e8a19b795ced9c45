package io.redisha.cli;

import io.redisha.cluster.NoSuchNodeException;
import io.redisha.cluster.NotReadyException;
import io.redisha.sentinel.Reply;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The interactive prompt of {@code redisha cli}: reads a line, splits it as redis-cli does, sends it,
 * prints the reply; until {@code quit}, {@code exit} or the end of input. A lost connection is
 * reported and made again at the next command.
 */
final class Prompt {
    /** Where lines come from: the terminal, or a script in tests. */
    @FunctionalInterface
    interface Lines {
        /** The next line, null at the end of input. */
        String read(String prompt);
    }

    /** The node that commands go to. */
    interface Target {
        String label();

        Reply send(List<byte[]> command);
    }

    private final Lines lines;
    private final PrintWriter out;
    private final BiConsumer<List<String>, Reply> printer;

    /** @param printer prints a command's reply */
    Prompt(Lines lines, PrintWriter out, BiConsumer<List<String>, Reply> printer) {
        this.lines = lines;
        this.out = out;
        this.printer = printer;
    }

    void run(Target target) {
        while (true) {
            String line = lines.read(target.label() + "> ");
            if (line == null) {
                return;
            }
            Optional<List<byte[]>> split = ArgSplitter.split(line);
            if (split.isEmpty()) {
                error("Invalid argument(s)");
                continue;
            }
            List<byte[]> command = split.get();
            if (command.isEmpty()) {
                continue;
            }
            List<String> words = command.stream().map(w -> new String(w, StandardCharsets.UTF_8)).toList();
            String first = words.get(0).toLowerCase(Locale.ROOT);
            if (words.size() == 1 && (first.equals("quit") || first.equals("exit"))) {
                return;
            }
            try {
                printer.accept(words, target.send(command));
            } catch (JedisConnectionException e) {
                error("connection lost: " + e.getMessage() + " (connecting again at the next command)");
            } catch (UserException | NoSuchNodeException | NotReadyException e) {
                error(e.getMessage());
            }
        }
    }

    private void error(String message) {
        out.println("(error) " + message);
        out.flush();
    }
}
