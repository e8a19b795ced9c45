package io.redisha.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java example of docs/connecting.md is the code EverydayCommandsIT runs across a failover (ConnectExample). */
class ReadmeExampleTest {
    @Test
    void theConnectingPageShowsTheTestedExampleWordForWord() throws Exception {
        Path dir = Path.of(System.getProperty("redisha.project.dir", "."));
        String source = Files.readString(dir.resolve("src/test/java/io/redisha/it/ConnectExample.java"), StandardCharsets.UTF_8);
        String begin = "    // docs example begin\n";
        // without its final line break: an empty last line would count as unindented for stripIndent
        String example = source.substring(source.indexOf(begin) + begin.length(),
                source.indexOf("\n    // docs example end")).stripIndent() + "\n";
        String page = Files.readString(dir.resolve("docs/connecting.md"), StandardCharsets.UTF_8);
        int at = page.indexOf(example);
        assertTrue(at >= 0, "docs/connecting.md lacks the example of ConnectExample.java, as it is:\n" + example);
        // inside one Java code block, which it ends
        String before = page.substring(0, at);
        assertTrue(before.substring(before.lastIndexOf("```")).startsWith("```java\n"),
                "the example is not inside a ```java block of docs/connecting.md");
        assertTrue(page.startsWith("```\n", at + example.length()), "the example does not end its code block");
    }
}
