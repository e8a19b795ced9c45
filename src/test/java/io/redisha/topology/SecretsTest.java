package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    private static final String SECRET = "hunter2-Secret";

    @TempDir
    Path dir;

    @Test
    void readsThePasswordsFromTheEnvironment() throws Exception {
        LoadedTopology loaded = load("auth:\n  password-env: REDISHA_PASSWORD\n  sentinel-password-env: SENTINEL_PW\n");

        Secrets secrets = TopologyLoader.secrets(loaded, Map.of("REDISHA_PASSWORD", SECRET, "SENTINEL_PW", "other"));

        assertEquals(new Secrets(SECRET, "other"), secrets);
    }

    @Test
    void readsAPasswordFileRelativeToTheTopologyFilesDirectory() throws Exception {
        // the working directory is the project: only the topology's directory holds secrets/redis.pass
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/redis.pass"), SECRET + "\n");

        Secrets secrets = TopologyLoader.secrets(load("auth:\n  password-file: secrets/redis.pass\n"), Map.of());

        assertEquals(new Secrets(SECRET, null), secrets);
    }

    @Test
    void stripsOneFinalNewlineOnly() throws Exception {
        for (String ending : List.of("", "\n", "\r\n")) {
            Files.writeString(dir.resolve("s.pass"), SECRET + ending);
            assertEquals(SECRET, TopologyLoader.secrets(load("auth:\n  sentinel-password-file: s.pass\n"), Map.of())
                    .sentinelPassword(), ending);
        }
    }

    @Test
    void anAbsolutePasswordFileIsReadAsIs() throws Exception {
        Path secret = Files.writeString(dir.resolve("abs.pass"), SECRET);
        Topology topology = withAuth(new Auth(null, secret.toString(), null, null));

        assertEquals(new Secrets(SECRET, null),
                TopologyLoader.secrets(new LoadedTopology(topology, List.of(), null), Map.of()));
    }

    @Test
    void withoutATopologyFileRelativePathsAreRelativeToTheWorkingDirectory() throws Exception {
        Path relative = Path.of("target", "secrets-test", "redis.pass");
        Files.createDirectories(relative.getParent());
        Files.writeString(relative, SECRET + "\n");
        try {
            Topology topology = withAuth(new Auth(null, relative.toString(), null, null));

            assertEquals(new Secrets(SECRET, null),
                    TopologyLoader.secrets(new LoadedTopology(topology, List.of(), null), Map.of()));
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    @Test
    void noAuthMeansNoSecrets() throws Exception {
        LoadedTopology defaults = new LoadedTopology(Topology.defaults(), List.of(), null);

        assertEquals(Secrets.none(), TopologyLoader.secrets(defaults, Map.of("REDISHA_PASSWORD", SECRET)));
    }

    @Test
    void toStringSaysWhetherEachIsSetNeverTheValue() {
        assertEquals("Secrets[redis=set, sentinel=none]", new Secrets(SECRET, null).toString());
        assertEquals("Secrets[redis=none, sentinel=set]", new Secrets(null, SECRET).toString());
        assertEquals("Secrets[redis=none, sentinel=none]", Secrets.none().toString());
    }

    @Test
    void anUnsetOrEmptyVariableIsAProblemNamingKeyAndVariable() throws Exception {
        LoadedTopology loaded = load("auth:\n  password-env: REDISHA_PASSWORD\n  sentinel-password-env: SENTINEL_PW\n");

        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.secrets(loaded, Map.of("SENTINEL_PW", "")));

        assertEquals(List.of(
                new Problem("auth.password-env", null, "environment variable REDISHA_PASSWORD is not set"),
                new Problem("auth.sentinel-password-env", null, "environment variable SENTINEL_PW is empty")), e.problems());
        assertEquals(String.join("\n",
                loaded.file() + ": auth.password-env: environment variable REDISHA_PASSWORD is not set",
                loaded.file() + ": auth.sentinel-password-env: environment variable SENTINEL_PW is empty"), e.getMessage());
    }

    @Test
    void aVariableWithANewlineOrNulIsRefusedWithoutShowingIt() throws Exception {
        LoadedTopology loaded = load("auth:\n  password-env: REDISHA_PASSWORD\n");
        for (String bad : List.of(SECRET + "\nmore", SECRET + "\n", SECRET + "\r", SECRET + "\0")) {
            TopologyException e = assertThrows(TopologyException.class,
                    () -> TopologyLoader.secrets(loaded, Map.of("REDISHA_PASSWORD", bad)));

            assertEquals(List.of(new Problem("auth.password-env", null,
                    "environment variable REDISHA_PASSWORD contains a newline or NUL character")), e.problems());
            assertNoSecret(e);
        }
    }

    @Test
    void everyBadPasswordFileIsAProblemThatNeverShowsThePassword() throws Exception {
        Path file = dir.resolve("p.pass");
        record Case(String content, String message) {}
        for (Case c : List.of(
                new Case("", "password file " + file + " is empty"),
                new Case("\n", "password file " + file + " is empty"),
                new Case(SECRET + "\n" + SECRET, "password file " + file
                        + " contains a newline or NUL character (only one newline, at the very end, is allowed)"),
                new Case(SECRET + "\n\n", "password file " + file
                        + " contains a newline or NUL character (only one newline, at the very end, is allowed)"),
                new Case(SECRET + "\0x", "password file " + file
                        + " contains a newline or NUL character (only one newline, at the very end, is allowed)"),
                new Case(SECRET + "x".repeat(4096), "password file " + file
                        + " is larger than 4 KiB, the limit for a password file"))) {
            Files.writeString(file, c.content());
            LoadedTopology loaded = new LoadedTopology(withAuth(new Auth(null, "p.pass", null, null)), List.of(),
                    dir.resolve("topology.yml"));

            TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.secrets(loaded, Map.of()));

            assertEquals(List.of(new Problem("auth.password-file", null, c.message())), e.problems(), c.message());
            assertNoSecret(e);
        }
    }

    @Test
    void aFileOfExactly4KiBIsAccepted() throws Exception {
        String password = "p".repeat(4095);
        Files.writeString(dir.resolve("p.pass"), password + "\n");

        assertEquals(password, TopologyLoader.secrets(load("auth:\n  password-file: p.pass\n"), Map.of())
                .redisPassword());
    }

    @Test
    void aMissingFileADirectoryOrADeviceIsAProblem() throws Exception {
        Topology topology = withAuth(new Auth(null, "missing.pass", null, dir.toString()));
        LoadedTopology loaded = new LoadedTopology(topology, List.of(), dir.resolve("topology.yml"));

        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.secrets(loaded, Map.of()));

        assertEquals(List.of(
                new Problem("auth.password-file", null, "password file " + dir.resolve("missing.pass") + " does not exist"),
                new Problem("auth.sentinel-password-file", null, "password file " + dir + " is a directory")), e.problems());

        LoadedTopology device = new LoadedTopology(withAuth(new Auth(null, "/dev/zero", null, null)), List.of(), null);
        assertEquals(List.of(new Problem("auth.password-file", null, "password file /dev/zero is not a regular file")),
                assertThrows(TopologyException.class, () -> TopologyLoader.secrets(device, Map.of())).problems());
    }

    @Test
    void bothSourcesOrAnInvalidVariableNameInATopologyBuiltInCodeAreProblems() {
        Topology topology = withAuth(new Auth("A", "a.pass", SECRET + "!", null));

        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.secrets(new LoadedTopology(topology, List.of(), null), Map.of("A", SECRET)));

        assertEquals(List.of(
                new Problem("auth.password-file", null, "both auth.password-env and auth.password-file are set; keep one"),
                new Problem("auth.sentinel-password-env", null, "is not an environment variable name (letters, digits and"
                        + " _, not starting with a digit); it names the variable that holds the password, not the password"
                        + " itself")), e.problems());
        assertNoSecret(e);
        assertEquals(null, e.source());
    }

    @Test
    void loadChecksTheFilesButSecretsReadsThemAgain() throws Exception {
        Path secret = Files.writeString(dir.resolve("p.pass"), SECRET);
        LoadedTopology loaded = load("auth:\n  password-file: p.pass\n");
        Files.writeString(secret, "changed");

        assertEquals("changed", TopologyLoader.secrets(loaded, Map.of()).redisPassword());
        Files.delete(secret);
        assertThrows(TopologyException.class, () -> TopologyLoader.secrets(loaded, Map.of()));
    }

    @Test
    void aPasswordThatServersWriteBackUnquotedIsRefusedNamingItsKeyAndTheCharacter() throws Exception {
        String tail = ", which Sentinel (and Valkey) write back unquoted into their configuration files, where a restarted"
                + " node could no longer read it; use one without spaces, quotes or backslashes (e.g. openssl rand -hex 32)";
        record Case(String password, String what) {}
        for (Case c : List.of(new Case("hunter2 x", "a space"), new Case("hunter2\"x", "a double quote"),
                new Case("hunter2'x", "a single quote"), new Case("hunter2\\x", "a backslash"),
                new Case("hunter2\tx", "a tab, another blank or a control character"),
                new Case("hunter2\u00a0x", "a tab, another blank or a control character"))) {
            // from a file: refused when the topology is loaded, with the key's line
            Files.writeString(dir.resolve("p.pass"), c.password() + "\n");
            TopologyException atLoad = assertThrows(TopologyException.class,
                    () -> load("project: shop\nauth:\n  password-file: p.pass\n"), c.what());
            assertEquals(List.of(new Problem("auth.password-file", 3, "the password contains " + c.what() + tail)),
                    atLoad.problems(), c.what());
            assertNoSecret(atLoad);
            // from the environment: refused when it is read
            LoadedTopology loaded = load("auth:\n  sentinel-password-env: PW\n");
            TopologyException atRead = assertThrows(TopologyException.class,
                    () -> TopologyLoader.secrets(loaded, Map.of("PW", c.password())));
            assertEquals(List.of(new Problem("auth.sentinel-password-env", null, "the password contains " + c.what() + tail)),
                    atRead.problems());
            assertNoSecret(atRead);
        }
    }

    @Test
    void onlyTheUsersWhosePasswordsServersWriteBackAreHeldToIt() throws Exception {
        StringBuilder yaml = new StringBuilder("auth:\n  users:\n");
        for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app")) {
            Files.writeString(dir.resolve(user + ".pass"), "pw of " + user + " \"1\"\n");
            yaml.append("    ").append(user).append(":\n      password-file: ").append(user).append(".pass\n");
            if (user.equals("app")) {
                yaml.append("      rules: \"~app:* +@read\"\n");
            }
        }
        TopologyException e = assertThrows(TopologyException.class, () -> load(yaml.toString()));
        assertEquals(List.of("auth.users.replication.password-file", "auth.users.sentinel.password-file",
                "auth.users.sentinel-peer.password-file"), e.problems().stream().map(Problem::path).toList(), e::getMessage);
    }

    private LoadedTopology load(String yaml) throws IOException, TopologyException {
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, yaml);
        return TopologyLoader.load(file);
    }

    private static Topology withAuth(Auth auth) {
        Topology d = Topology.defaults();
        return new Topology(d.project(), d.image(), d.bind(), d.master(), d.replicas(), d.sentinels(), auth,
                d.persistence(), d.resources());
    }

    private static void assertNoSecret(TopologyException e) {
        assertFalse(e.getMessage().contains("hunter2"), e::getMessage);
        e.problems().forEach(p -> assertFalse(p.toString().contains("hunter2"), p::toString));
    }
}
