package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyFileEditorTest {

    private static String edit(String text, Integer replicas, Integer sentinels) throws IOException {
        return TopologyFileEditor.withCounts(text, replicas, sentinels, "t.yml");
    }

    @Test
    void replacesExistingCountsAndLeavesEverythingElseByteForByte() throws Exception {
        String text = Files.readString(Path.of("topology.yml"));

        String edited = edit(text, 4, 5);

        String expected = text
                .replace("  count: 2\n  # Entry i fixes the host port of replica",
                        "  count: 4\n  # Entry i fixes the host port of replica")
                .replace("  count: 3\n  # Sentinels that must agree", "  count: 5\n  # Sentinels that must agree");
        assertTrue(!expected.equals(text));
        assertEquals(expected, edited);
    }

    @Test
    void leavesTheOtherCountAloneWhenItIsNull() throws Exception {
        String text = "replicas:\n  count: 2\nsentinels:\n  count: 3\n";

        assertEquals("replicas:\n  count: 2\nsentinels:\n  count: 7\n", edit(text, null, 7));
        assertEquals("replicas:\n  count: 0\nsentinels:\n  count: 3\n", edit(text, 0, null));
    }

    @Test
    void replacesTheShorthandFormKeepingItsComment() throws Exception {
        String text = "# cache for the shop\nreplicas: 2   # two is plenty\nsentinels: 3\n";

        assertEquals("# cache for the shop\nreplicas: 10   # two is plenty\nsentinels: 1\n", edit(text, 10, 1));
    }

    @Test
    void insertsCountAtTheTopOfAnExistingBlockSection() throws Exception {
        String text = "replicas:   # the replicas\n"
                + "    # fixed ports\n"
                + "    host-ports: [6380]\n"
                + "sentinels:\n"
                + "    quorum: 2\n";

        assertEquals("replicas:   # the replicas\n"
                + "    count: 1\n"
                + "    # fixed ports\n"
                + "    host-ports: [6380]\n"
                + "sentinels:\n"
                + "    count: 3\n"
                + "    quorum: 2\n", edit(text, 1, 3));
    }

    @Test
    void insertsCountIntoAFlowSection() throws Exception {
        String text = "replicas: {host-ports: [6380]}\nsentinels: { }\n";

        assertEquals("replicas: {count: 2, host-ports: [6380]}\nsentinels: { count: 3}\n", edit(text, 2, 3));
    }

    @Test
    void appendsAbsentSectionsAtTheEndWithTheFilesIndentation() throws Exception {
        String text = "project: shop\nmaster:\n    host-port: 6379\n# the end";

        assertEquals("project: shop\nmaster:\n    host-port: 6379\n# the end\n"
                + "replicas:\n    count: 1\nsentinels:\n    count: 3\n", edit(text, 1, 3));
    }

    @Test
    void appendsBeforeAnExplicitDocumentEnd() throws Exception {
        String text = "project: shop\n...\n";

        assertEquals("project: shop\nsentinels:\n  count: 5\n...\n", edit(text, null, 5));
    }

    @Test
    void fillsAnEmptyFileOrAnEmptyValue() throws Exception {
        assertEquals("replicas:\n  count: 1\n", edit("", 1, null));
        assertEquals("# nothing yet\nsentinels:\n  count: 3\n", edit("# nothing yet\n", null, 3));
        assertEquals("replicas: 3\nsentinels: ~ # later\n", edit("replicas:\nsentinels: ~ # later\n", 3, null));
        assertEquals("{project: x, replicas: {count: 1}, sentinels: {count: 3}}", edit("{project: x}", 1, 3));
        assertEquals("{replicas: {count: 1}, sentinels: {count: 3}}\n", edit("{}\n", 1, 3));
    }

    @Test
    void keepsAnAnchorAndRefusesToEditThroughAnAlias() throws Exception {
        assertEquals("replicas: {count: &n 4}\n", edit("replicas: {count: &n 2}\n", 4, null));

        IOException e = assertThrows(IOException.class,
                () -> edit("replicas: &n 2\nsentinels: *n\n", null, 3));
        assertEquals("t.yml: cannot set sentinels: its value is an alias; edit it by hand", e.getMessage());
    }

    @Test
    void keepsWindowsLineEndingsAndNonAsciiText() throws Exception {
        String text = "# caché 🚀 für alle\r\nproject: shop\r\nsentinels:\r\n  quorum: 2\r\n";

        assertEquals("# caché 🚀 für alle\r\nproject: shop\r\nsentinels:\r\n  count: 3\r\n  quorum: 2\r\n"
                + "replicas:\r\n  count: 2\r\n", edit(text, 2, 3));
    }

    @Test
    void refusesAFileThatIsNotATopologyMapping() {
        assertThrows(IOException.class, () -> edit("- a\n- b\n", 1, 1));
        assertThrows(IOException.class, () -> edit("replicas: [1, 2]\n", 1, null));
        assertThrows(IOException.class, () -> edit("replicas: : :\n", 1, null));
        assertThrows(IllegalArgumentException.class, () -> edit("", -1, null));
    }

    @Test
    void writesTheFileAtomicallyAndItReloadsWithTheNewCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.yml");
        Files.copy(Path.of("topology.yml"), file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        TopologyFileEditor.writeCounts(file, 3, 5);

        Topology topology = TopologyLoader.load(file).topology();
        assertEquals(Topology.defaults().withReplicaCount(3).withSentinelCount(5), topology);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writesThroughASymbolicLink(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real.yml");
        Files.writeString(real, "replicas: 1\n");
        Path link = Files.createSymbolicLink(dir.resolve("topology.yml"), real);

        TopologyFileEditor.writeCounts(link, 2, null);

        assertTrue(Files.isSymbolicLink(link));
        assertEquals("replicas: 2\n", Files.readString(real));
    }

    @Test
    void changesNothingWhenNoCountIsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, "not: [valid");

        TopologyFileEditor.writeCounts(file, null, null);

        assertEquals("not: [valid", Files.readString(file));
    }
}
