package io.redisha.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersTopologyTest {
    static final String COMPONENTS = """
            auth:
              users:
                redisha: {password-file: r.pass}
                replication: {password-file: r.pass}
                sentinel: {password-file: r.pass}
                sentinel-peer: {password-file: r.pass}
                discovery: {password-env: DISCOVERY_PW}
            """;

    @TempDir
    Path dir;

    private LoadedTopology load(String yaml) throws IOException, TopologyException {
        Files.writeString(dir.resolve("r.pass"), "s3cret\n");
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, yaml);
        return TopologyLoader.load(file);
    }

    private String problems(String yaml) {
        TopologyException e = assertThrows(TopologyException.class, () -> load(yaml));
        return e.getMessage();
    }

    @Test
    void componentUsersGetTheirMinimalRulesAndAnAppUserItsOwn() throws Exception {
        LoadedTopology loaded = load(COMPONENTS + "    app: {password-file: r.pass, rules: \"~app:* +@all -@dangerous\"}\n");
        Auth auth = loaded.topology().auth();
        assertTrue(auth.hasUsers());
        assertEquals(List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app"),
                List.copyOf(auth.users().keySet()));
        assertEquals("-@all +psync +replconf +ping", auth.users().get("replication").effectiveRules());
        assertEquals("~app:* +@all -@dangerous", auth.users().get("app").effectiveRules());
        Secrets secrets = TopologyLoader.secrets(loaded, Map.of("DISCOVERY_PW", "d1"));
        assertEquals("s3cret", secrets.password("app"));
        assertEquals("d1", secrets.password("discovery"));
        assertFalse(secrets.toString().contains("s3cret"));
        assertNull(secrets.redisPassword());
    }

    @Test
    void applicationsAreToldTheirUserAndWhereItsPasswordIsNeverThePassword() throws Exception {
        LoadedTopology loaded = load(COMPONENTS + "    app: {password-file: r.pass, rules: \"~app:* +@all\"}\n");
        PasswordSources sources = PasswordSources.of(loaded);
        assertEquals("app", sources.redisUser());
        assertEquals(dir.resolve("r.pass").toAbsolutePath().normalize(), sources.redisFile());
        assertEquals("discovery", sources.sentinelUser());
        assertEquals("DISCOVERY_PW", sources.sentinelEnv());
        assertEquals("redisha", PasswordSources.of(load(COMPONENTS)).redisUser(), "without an application user: redisha's own");
    }

    @Test
    void aMissingComponentUserIsNamed() {
        String message = problems(COMPONENTS.replace("    discovery: {password-env: DISCOVERY_PW}\n", ""));
        assertTrue(message.contains("auth.users") && message.contains("lacks discovery"), message);
    }

    @Test
    void aSentinelUserWithoutPublishIsRefusedNamingIt() {
        String message = problems(COMPONENTS.replace("sentinel: {password-file: r.pass}",
                "sentinel: {password-file: r.pass, rules: \"-@all allchannels +multi +slaveof +ping +exec +subscribe"
                        + " +config|rewrite +role +info +client|setname +client|kill +script|kill\"}"));
        assertTrue(message.contains("auth.users.sentinel.rules") && message.contains("does not allow publish"), message);
        assertEquals(1, message.lines().filter(l -> l.contains("auth.users")).count(), message);
    }

    @Test
    void aReplicationUserDeniedAdminCommandsIsRefused() {
        String message = problems(COMPONENTS.replace("replication: {password-file: r.pass}",
                "replication: {password-file: r.pass, rules: \"+@all -@admin\"}"));
        assertTrue(message.contains("does not allow psync"), message);
    }

    @Test
    void aSentinelUserWithoutTheHelloChannelIsRefused() {
        String message = problems(COMPONENTS.replace("sentinel: {password-file: r.pass}",
                "sentinel: {password-file: r.pass, rules: \"+@all\"}"));
        assertTrue(message.contains("__sentinel__:hello"), message);
    }

    @Test
    void rulesHoldingAPasswordAreRefusedWithoutShowingIt() {
        String message = problems(COMPONENTS + "    app: {password-file: r.pass, rules: \"~* +@all >hunter2\"}\n");
        assertTrue(message.contains("auth.users.app.rules") && message.contains("sets or removes a password"), message);
        assertFalse(message.contains("hunter2"), message);
    }

    @Test
    void anAppUserNeedsRulesAndAPasswordSource() {
        String message = problems(COMPONENTS + "    app: {rules: \"~* +@all\"}\n    web: {password-file: r.pass}\n");
        assertTrue(message.lines().anyMatch(l -> l.contains("auth.users.app ") && l.contains("needs password-file or password-env")),
                message);
        assertTrue(message.lines().anyMatch(l -> l.contains("auth.users.web ") && l.contains("needs rules")), message);
    }

    @Test
    void usersCannotBeCombinedWithTheSinglePassword() {
        String message = problems(COMPONENTS.replace("auth:\n", "auth:\n  password-file: r.pass\n"));
        assertTrue(message.contains("auth.password-file") && message.contains("cannot be combined with auth.users"), message);
    }

    @Test
    void aPasswordWrittenInlineForAUserIsRefused() {
        String message = problems(COMPONENTS + "    app: {password: hunter2, rules: \"~* +@all\"}\n");
        assertTrue(message.contains("do not write the password in the topology"), message);
        assertFalse(message.contains("hunter2"), message);
    }

    @Test
    void usersAreAcceptedOnSwarmWithTheirExporters() throws Exception {
        assertTrue(load("platform: swarm\n" + COMPONENTS).topology().auth().hasUsers());
        assertTrue(load("platform: swarm\nmetrics:\n  enabled: true\n" + COMPONENTS
                + "    metrics: {password-file: r.pass}\n").topology().metrics().enabled());
    }

    @Test
    void theDefaultUserCannotBeDeclared() {
        String message = problems(COMPONENTS + "    default: {password-file: r.pass, rules: \"~* +@all\"}\n");
        assertTrue(message.contains("auth.users.default"), message);
    }
}
