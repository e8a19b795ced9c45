package io.redisha.sentinel;

import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisInputStream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads one reply of the Redis protocol (RESP2, and RESP3 after {@code HELLO 3}) with its type. */
final class RespReader {
    private RespReader() {
    }

    static Reply read(RedisInputStream in) {
        byte type = in.readByte();
        return switch (type) {
            case '+' -> new Reply.Status(line(in));
            case '-' -> new Reply.Error(line(in));
            case ':' -> new Reply.Int(Long.parseLong(line(in)));
            case '$' -> {
                int length = length(in);
                yield length < 0 ? new Reply.Nil() : new Reply.Bulk(bytes(in, length));
            }
            case '*' -> aggregate(in, Reply.Aggregate.Kind.ARRAY, 1);
            case '~' -> aggregate(in, Reply.Aggregate.Kind.SET, 1);
            case '>' -> aggregate(in, Reply.Aggregate.Kind.PUSH, 1);
            case '%' -> aggregate(in, Reply.Aggregate.Kind.MAP, 2);
            case '_' -> {
                line(in);
                yield new Reply.Nil();
            }
            case ',' -> new Reply.Decimal(line(in));
            case '#' -> new Reply.Bool("t".equals(line(in)));
            case '(' -> new Reply.BigNumber(line(in));
            case '!' -> new Reply.Error(new String(bytes(in, length(in)), StandardCharsets.UTF_8));
            case '=' -> {
                String text = new String(bytes(in, length(in)), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                yield colon == 3 ? new Reply.Verbatim(text.substring(0, 3), text.substring(4))
                        : new Reply.Verbatim("txt", text);
            }
            case '|' -> {
                // attributes describe the reply that follows; redis-cli shows only that reply
                aggregate(in, Reply.Aggregate.Kind.MAP, 2);
                yield read(in);
            }
            default -> throw new JedisConnectionException("unknown reply type '" + (char) type + "'");
        };
    }

    private static Reply aggregate(RedisInputStream in, Reply.Aggregate.Kind kind, int perEntry) {
        int count = length(in);
        if (count < 0) {
            return new Reply.Nil();
        }
        List<Reply> items = new ArrayList<>(count * perEntry);
        for (int i = 0; i < count * perEntry; i++) {
            items.add(read(in));
        }
        return new Reply.Aggregate(kind, items);
    }

    private static int length(RedisInputStream in) {
        return Integer.parseInt(line(in));
    }

    /** A line up to CR LF, without them (Jedis' own readLine refuses an empty one). */
    private static String line(RedisInputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            byte b = in.readByte();
            if (b == '\r') {
                byte next = in.readByte();
                if (next == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
                line.write(next);
            } else {
                line.write(b);
            }
        }
    }

    private static byte[] bytes(RedisInputStream in, int length) {
        byte[] data = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(data, read, length - read);
            if (n < 0) {
                throw new JedisConnectionException("the server closed the connection in the middle of a reply");
            }
            read += n;
        }
        in.readByte();
        in.readByte();
        return data;
    }
}
