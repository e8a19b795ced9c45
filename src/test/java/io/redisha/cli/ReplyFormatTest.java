package io.redisha.cli;

import io.redisha.sentinel.Reply;
import io.redisha.sentinel.Reply.Aggregate;
import io.redisha.sentinel.Reply.Aggregate.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replies as redis-cli prints them (its source, cliFormatReplyTTY and cliFormatReplyRaw, is the model). */
class ReplyFormatTest {
    private static Reply bulk(String text) {
        return new Reply.Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Aggregate array(Reply... items) {
        return new Aggregate(Kind.ARRAY, List.of(items));
    }

    @Test
    void scalarsLookAsInRedisCli() {
        assertEquals("OK\n", ReplyFormat.tty(new Reply.Status("OK")));
        assertEquals("\"OK\"\n", ReplyFormat.tty(bulk("OK")), "a string is quoted, a status is not");
        assertEquals("(integer) 42\n", ReplyFormat.tty(new Reply.Int(42)));
        assertEquals("(integer) -1\n", ReplyFormat.tty(new Reply.Int(-1)));
        assertEquals("(nil)\n", ReplyFormat.tty(new Reply.Nil()));
        assertEquals("(error) ERR unknown command 'x'\n", ReplyFormat.tty(new Reply.Error("ERR unknown command 'x'")));
        assertEquals("(double) 1.5\n", ReplyFormat.tty(new Reply.Decimal("1.5")));
        assertEquals("(true)\n", ReplyFormat.tty(new Reply.Bool(true)));
        assertEquals("(big number) 1234567890123456789012\n", ReplyFormat.tty(new Reply.BigNumber("1234567890123456789012")));
        assertEquals("# Server\nredis_version:7.0.15\n", ReplyFormat.tty(new Reply.Verbatim("txt", "# Server\nredis_version:7.0.15")));
    }

    @Test
    void stringsAreQuotedWithTheEscapesOfRedisCli() {
        byte[] bytes = {'a', '"', 'b', '\\', '\n', '\r', '\t', 7, '\b', 1, (byte) 0xc3, (byte) 0xa9, ' ', '~'};
        assertEquals("\"a\\\"b\\\\\\n\\r\\t\\a\\b\\x01\\xc3\\xa9 ~\"", ReplyFormat.repr(bytes));
        assertEquals("\"\"\n", ReplyFormat.tty(bulk("")));
    }

    @Test
    void arraysAreNumberedAndNestedOnesIndentedUnderTheirNumber() {
        assertEquals("(empty array)\n", ReplyFormat.tty(array()));
        assertEquals("1) \"a\"\n2) (integer) 2\n3) (nil)\n", ReplyFormat.tty(array(bulk("a"), new Reply.Int(2), new Reply.Nil())));
        assertEquals("1) 1) \"x\"\n   2) \"y\"\n2) \"z\"\n",
                ReplyFormat.tty(array(array(bulk("x"), bulk("y")), bulk("z"))));
        assertEquals("1) 1) 1) \"deep\"\n2) (empty array)\n", ReplyFormat.tty(array(array(array(bulk("deep"))), array())));
    }

    @Test
    void numbersAreRightAlignedToTheWidestAndNestedItemsFollowThatWidth() {
        List<Reply> items = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            items.add(bulk("v" + i));
        }
        items.add(array(bulk("x"), bulk("y")));
        String text = ReplyFormat.tty(new Aggregate(Kind.ARRAY, items));
        String[] lines = text.split("\n");
        assertEquals(" 1) \"v1\"", lines[0]);
        assertEquals(" 9) \"v9\"", lines[8]);
        assertEquals("10) 1) \"x\"", lines[9]);
        assertEquals("    2) \"y\"", lines[10]);
    }

    @Test
    void resp3MapsAndSetsAsRedisCliShowsThem() {
        Aggregate map = new Aggregate(Kind.MAP, List.of(bulk("server"), bulk("redis"), bulk("proto"), new Reply.Int(3)));
        assertEquals("1# \"server\" => \"redis\"\n2# \"proto\" => (integer) 3\n", ReplyFormat.tty(map));
        assertEquals("1~ \"a\"\n", ReplyFormat.tty(new Aggregate(Kind.SET, List.of(bulk("a")))));
        assertEquals("(empty hash)\n", ReplyFormat.tty(new Aggregate(Kind.MAP, List.of())));
        assertEquals("(empty set)\n", ReplyFormat.tty(new Aggregate(Kind.SET, List.of())));
    }

    @Test
    void rawIsTheTextAnItemPerLineAndNothingForNil() {
        assertEquals("v\n", ReplyFormat.raw(bulk("v")));
        assertEquals("7\n", ReplyFormat.raw(new Reply.Int(7)));
        assertEquals("\n", ReplyFormat.raw(new Reply.Nil()));
        assertEquals("a\nb\n", ReplyFormat.raw(array(bulk("a"), bulk("b"))));
        assertEquals("ERR x\n", ReplyFormat.raw(new Reply.Error("ERR x")));
    }

    @Test
    void infoAndClientListPrintRawEvenOnATerminalAsInRedisCli() {
        Reply info = bulk("# Replication\r\nrole:master\r\n");
        assertEquals("# Replication\nrole:master\n\n", ReplyFormat.forCommand(List.of("INFO", "replication"), info));
        assertTrue(ReplyFormat.printsRaw(List.of("client", "LIST")));
        assertFalse(ReplyFormat.printsRaw(List.of("client", "setname", "x")));
        assertFalse(ReplyFormat.printsRaw(List.of("GET", "info")));
        assertEquals("\"v\"\n", ReplyFormat.forCommand(List.of("GET", "k"), bulk("v")));
    }

    @Test
    void jsonKeepsTheTypes() {
        assertEquals("v", ReplyFormat.json(bulk("v")));
        assertEquals(3L, ReplyFormat.json(new Reply.Int(3)));
        assertNull(ReplyFormat.json(new Reply.Nil()));
        assertEquals(Map.of("error", "ERR x"), ReplyFormat.json(new Reply.Error("ERR x")));
        assertEquals(Arrays.asList("a", null, List.of(1L)),
                ReplyFormat.json(array(bulk("a"), new Reply.Nil(), array(new Reply.Int(1)))));
        assertEquals(Map.of("k", "v"), ReplyFormat.json(new Aggregate(Kind.MAP, List.of(bulk("k"), bulk("v")))));
        assertEquals("a\r\nb", ReplyFormat.json(bulk("a\r\nb")), "JSON keeps the exact text");
        assertEquals(true, ReplyFormat.json(new Reply.Bool(true)));
        assertEquals(1.5, ReplyFormat.json(new Reply.Decimal("1.5")));
        assertEquals("inf", ReplyFormat.json(new Reply.Decimal("inf")));
    }
}
