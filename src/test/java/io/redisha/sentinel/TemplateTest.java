package io.redisha.sentinel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest {
    @Test
    void fillsEveryPlaceholder() {
        Template t = new Template("t", "sentinel monitor {{name}} {{host}} 6379 {{quorum}}\n");
        assertEquals("sentinel monitor mymaster redis-master 6379 2\n",
                t.render(Map.of("name", "mymaster", "host", "redis-master", "quorum", 2)));
    }

    @Test
    void aMissingValueIsAnErrorNamingThePlaceholder() {
        Template t = new Template("sentinel.conf", "port {{port}}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.render(Map.of()));
        assertEquals("sentinel.conf: no value for {{port}}", e.getMessage());
    }

    @Test
    void aListRendersOneLineEach() {
        Template t = new Template("t", "a\n{{extra}}\nz\n");
        assertEquals("a\nx 1\ny 2\nz\n", t.render(Map.of("extra", List.of("x 1", "y 2"))));
        assertEquals("a\n\nz\n", t.render(Map.of("extra", List.of())));
    }

    @Test
    void aValueCannotSmuggleInAnotherDirective() {
        Template t = new Template("t", "requirepass {{pw}}\n");
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("pw", "x\nsentinel deny-scripts-reconfig no")));
    }

    @Test
    void quotingEscapesQuotesBackslashesAndControlBytes() {
        assertEquals("\"plain\"", Template.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\"", Template.quote("a\"b\\c"));
        assertEquals("\"tab\\x09end\"", Template.quote("tab\tend"));
        assertTrue(Template.quote("pässword").contains("\\xc3\\xa4"));
    }
}
