package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ExitCodes.ALL is the one list: every constant is in it once, and the table of docs/commands.md says the same. */
class ExitCodesTest {
    private static final Pattern ROW = Pattern.compile("\\|\\s*(\\d+)\\s*\\|\\s*(.*?)\\s*\\|");

    @Test
    void everyConstantHasExactlyOneMeaningInOrder() throws IllegalAccessException {
        List<Integer> constants = new ArrayList<>();
        for (Field field : ExitCodes.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (field.getType() == int.class && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)) {
                constants.add(field.getInt(null));
            }
        }
        List<Integer> listed = ExitCodes.ALL.stream().map(ExitCodes.Meaning::code).toList();
        assertEquals(constants.stream().sorted().toList(), listed);
    }

    @Test
    void theDocumentedTableListsExactlyTheseCodesAndMeanings() throws Exception {
        Path page = Path.of(System.getProperty("redisha.project.dir", "."), "docs/commands.md");
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        int heading = lines.indexOf("## Exit codes");
        assertTrue(heading >= 0, "docs/commands.md has no '## Exit codes' section");
        List<String> documented = new ArrayList<>();
        // the section's first table, up to its first line that is not a row; code spans read as plain text
        boolean inTable = false;
        for (String line : lines.subList(heading + 1, lines.size())) {
            if (line.startsWith("#") || (inTable && !line.startsWith("|"))) {
                break;
            }
            inTable = line.startsWith("|");
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                documented.add(row.group(1) + " " + row.group(2).replace("`", ""));
            }
        }
        String expected = ExitCodes.ALL.stream().map(m -> m.code() + " " + m.text()).collect(Collectors.joining("\n"));
        assertEquals(expected, String.join("\n", documented), "docs/commands.md's exit codes differ from ExitCodes.ALL");
    }
}
