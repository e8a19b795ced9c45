package io.redisha.report;

import io.redisha.cluster.ClientAccess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectReportTest {
    private static final ClientAccess ACCESS = new ClientAccess("shop", "mymaster", List.of("127.0.0.1:32005"),
            new TreeMap<>(Map.of("10.0.0.2:6379", "127.0.0.1:32001")),
            new ClientAccess.PasswordSource(null, "/home/o'neil/redis pass"), null, null);

    @Test
    void envIsKeyValueLinesQuotedForAShellWhereNeeded() {
        assertEquals("""
                REDISHA_PROJECT=shop
                REDISHA_MASTER_NAME=mymaster
                REDISHA_SENTINELS=127.0.0.1:32005
                REDISHA_ADDRESS_MAP=10.0.0.2:6379=127.0.0.1:32001
                REDISHA_PASSWORD_FILE='/home/o'\\''neil/redis pass'
                """, ConnectReport.env(ACCESS));
    }

    @Test
    void textShowsTheSentinelsAndTheTranslation() {
        String text = ConnectReport.text(ACCESS);
        assertTrue(text.startsWith("master name  mymaster\nsentinels    127.0.0.1:32005\n"
                + "password: in the file /home/o'neil/redis pass\n"), text);
        assertTrue(text.contains("10.0.0.2:6379                127.0.0.1:32001"), text);
    }
}
