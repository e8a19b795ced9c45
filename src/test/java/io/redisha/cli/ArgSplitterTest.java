package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prompt splits a line as redis-cli does (its sdssplitargs). */
class ArgSplitterTest {
    private static List<String> words(String line) {
        return ArgSplitter.split(line).orElseThrow().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void wordsApartByBlanks() {
        assertEquals(List.of("SET", "k", "v"), words("  SET   k\tv  "));
        assertEquals(List.of(), words("   "));
        assertEquals(List.of(), words(""));
    }

    @Test
    void doubleQuotesKeepBlanksAndUnderstandEscapes() {
        assertEquals(List.of("SET", "k", "hello world"), words("SET k \"hello world\""));
        assertEquals(List.of("a\nb\t\"c\\"), words("\"a\\nb\\t\\\"c\\\\\""));
        assertEquals(List.of(""), words("\"\""));
        assertArrayEquals(new byte[]{(byte) 0xff, 'A'}, ArgSplitter.split("\"\\xff\\x41\"").orElseThrow().get(0));
        assertEquals(List.of("\\xZZ".replace("\\", "")), words("\"\\xZZ\""), "not hex: the backslash escapes the x");
    }

    @Test
    void singleQuotesAreLiteralButForAnEscapedQuote() {
        assertEquals(List.of("it's \\n"), words("'it\\'s \\n'"));
    }

    @Test
    void unbalancedQuotesOrAQuoteNotEndingTheWordAreRefused() {
        assertEquals(Optional.empty(), ArgSplitter.split("GET \"k"));
        assertEquals(Optional.empty(), ArgSplitter.split("GET 'k"));
        assertEquals(Optional.empty(), ArgSplitter.split("GET \"k\"x"));
        assertTrue(ArgSplitter.split("GET \"k\" x").isPresent());
    }

    @Test
    void textIsUtf8() {
        assertEquals(List.of("SET", "k", "é"), words("SET k é"));
    }
}
