package io.redisha.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java examples of docs/connecting.md, docs/tls.md and docs/users.md are the code EverydayCommandsIT,
 * TlsIT and AclUsersIT run (ConnectExample).
 */
class ReadmeExampleTest {
    @Test
    void theConnectingPageShowsTheTestedExampleWordForWord() throws Exception {
        assertPageShows("docs/connecting.md", "docs example");
    }

    @Test
    void theTlsPageShowsTheTestedTlsExampleWordForWord() throws Exception {
        assertPageShows("docs/tls.md", "docs tls example");
    }

    @Test
    void theUsersPageShowsTheTestedUsersExampleWordForWord() throws Exception {
        assertPageShows("docs/users.md", "docs users example");
    }

    private static void assertPageShows(String pagePath, String marker) throws Exception {
        Path dir = Path.of(System.getProperty("redisha.project.dir", "."));
        String source = Files.readString(dir.resolve("src/test/java/io/redisha/it/ConnectExample.java"), StandardCharsets.UTF_8);
        String begin = "    // " + marker + " begin\n";
        // without its final line break: an empty last line would count as unindented for stripIndent
        String example = source.substring(source.indexOf(begin) + begin.length(),
                source.indexOf("\n    // " + marker + " end")).stripIndent() + "\n";
        String page = Files.readString(dir.resolve(pagePath), StandardCharsets.UTF_8);
        int at = page.indexOf(example);
        assertTrue(at >= 0, pagePath + " lacks the example of ConnectExample.java, as it is:\n" + example);
        // inside one Java code block, which it ends
        String before = page.substring(0, at);
        assertTrue(before.substring(before.lastIndexOf("```")).startsWith("```java\n"),
                "the example is not inside a ```java block of " + pagePath);
        assertTrue(page.startsWith("```\n", at + example.length()), "the example does not end its code block");
    }
}
